import { getLocation } from 'jsonc-parser'
import { KeywardenError } from '../../../shared/errors'
import { lineColumn, locatePath, type PathSpans, type Span } from './json-path'
import { BOM, parseConfigText, parseFragment } from './jsonc-file'
import { detectStyle, NEW_FILE_STYLE, type Style } from './layout-style'

/** A value that must be in the file after the change, checked again on the file read back. */
export interface Expectation {
  path: string[]
  /** For an `inputs` entry: its id. */
  inputId?: string
  /** undefined: must be absent. */
  value: unknown
}

/**
 * A config file being changed in memory. Every change is a jsonc-parser edit of the one member it
 * touches, made on the smallest object that holds it, so a large file is scanned once per change
 * and every other byte (comments, order, line endings) stays as it was.
 */
export interface ConfigDoc {
  file: string
  label: string
  bom: boolean
  /** The text without BOM; `{}` plus a newline for a file that does not exist yet. */
  body: string
  original: string | null
  /** The original's bytes, when read from disk: compared again just before writing. */
  originalBytes?: Buffer | null
  strict: boolean
  style: Style
  /** The parsed original, while the body is unchanged: reads need no scan then. */
  parsed?: unknown
  /** Where the objects along the last path looked up sit in `body` (one scan serves several reads). */
  located?: { body: string; path: string[]; spans: PathSpans }
  /** The same for the original text, kept after the first edit: where the diff starts reading. */
  outline?: { path: string[]; spans: PathSpans }
  /** Unchanged prefix and suffix lengths of `body` against the original body. */
  from: number
  suffix: number
  expectations: Expectation[]
}

/** Opens a file's text for editing; a file that does not parse is refused with line and column. */
export function openDoc(file: string, label: string, text: string | null): ConfigDoc {
  const bom = text?.startsWith(BOM) ?? false
  const raw = bom ? text!.slice(1) : (text ?? '')
  const created = raw.trim() === ''
  const parsed = created ? { value: {}, strict: true } : parseConfigText(raw, file, label)
  const body = created ? '{}\n' : raw
  return {
    file,
    label,
    bom,
    body,
    original: text,
    strict: parsed.strict,
    style: created ? NEW_FILE_STYLE : detectStyle(body),
    parsed: parsed.value,
    from: body.length,
    suffix: body.length,
    expectations: []
  }
}

/** The spans along a path, from the last scan when it covered this path (or one it starts). */
export function locate(doc: ConfigDoc, path: string[]): PathSpans {
  const last = doc.located
  if (last && last.body === doc.body && path.length <= last.path.length && path.every((k, i) => last.path[i] === k)) {
    const spans = last.spans
    if (path.length === last.path.length) return spans
    // A shorter path: the same objects, cut to its length.
    const found = Math.min(spans.found, path.length)
    const value = found === path.length ? (spans.objects[found] ?? valueSpanOf(doc, path)) : undefined
    return { objects: spans.objects.slice(0, found + 1), found, value }
  }
  const spans = locatePath(doc.body, path, doc)
  doc.located = { body: doc.body, path, spans }
  return spans
}

function valueSpanOf(doc: ConfigDoc, path: string[]): Span | undefined {
  return locatePath(doc.body, path, doc).value
}

export const stripBom = (text: string | null) => (text?.startsWith(BOM) ? text.slice(1) : (text ?? ''))

export const docText = (doc: ConfigDoc) => (doc.bom ? BOM : '') + doc.body
export const docChanged = (doc: ConfigDoc) => docText(doc) !== doc.original

/** The value at a path (undefined when absent). */
export function valueAt(doc: ConfigDoc, path: string[]): unknown {
  if (doc.parsed !== undefined) return getAt(doc.parsed, path)
  const found = locate(doc, path)
  return found.value ? parseFragment(doc.body.slice(found.value.start, found.value.end), doc.strict) : undefined
}

/** The keys of the object at a path ([] when it is absent); refuses duplicates and non-objects. */
export function keysAt(doc: ConfigDoc, path: string[]): string[] {
  const found = locate(doc, path)
  if (!found.value) return []
  // The located path has no duplicate key on the way, so the parsed original holds this very value.
  const value =
    doc.parsed !== undefined ? getAt(doc.parsed, path) : parseFragment(doc.body.slice(found.value.start, found.value.end), doc.strict)
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const { line, column } = lineColumn(doc.body, found.value.start)
    throw new KeywardenError(
      'file-unparseable',
      `${doc.label}'s ${doc.file}: "${path.at(-1)}" at line ${line}, column ${column} should be an object of servers but is not. Fix it or move the file aside; Keywarden did not change it.`
    )
  }
  return Object.keys(value)
}

export function getAt(value: unknown, path: string[]): unknown {
  let v = value
  for (const part of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

/**
 * The keys enclosing an offset of the original text (array positions as "[]"), read from the
 * nearest object the edit's path already located, so a large file is not scanned again.
 */
export function keysAtOffset(doc: ConfigDoc, original: string, offset: number): string[] {
  const objects = doc.outline?.spans.objects ?? []
  let level = objects.length - 1
  while (level >= 0 && !(objects[level]!.start < offset && offset < objects[level]!.end)) level--
  const near = level >= 0 ? objects[level]! : { start: 0, end: original.length }
  const prefix = level >= 0 ? doc.outline!.path.slice(0, level) : []
  return [
    ...prefix,
    ...getLocation(original.slice(near.start, near.end), offset - near.start).path.map((p) => (typeof p === 'number' ? '[]' : p))
  ]
}
