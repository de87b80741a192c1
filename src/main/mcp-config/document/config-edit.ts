import { isDeepStrictEqual } from 'node:util'
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  format,
  getLocation,
  modify,
  parseTree,
  type Edit,
  type FormattingOptions,
  type SyntaxKind
} from 'jsonc-parser'
import { KeywardenError } from '../../../shared/errors'
import { lineColumn, locatePath, type PathSpans, type Span } from './json-path'
import { BOM, parseConfigText, parseFragment } from './jsonc-file'

// jsonc-parser's token kinds (a const enum, so the values are spelled out).
const LINE_COMMENT = 12 as SyntaxKind.LineCommentTrivia
const BLOCK_COMMENT = 13 as SyntaxKind.BlockCommentTrivia
const EOF = 17 as SyntaxKind.EOF

/** How a file is laid out, so an inserted entry looks as if its owner had typed it. */
interface Style {
  formatting: FormattingOptions
  /** The whole file sits on one line (minified): entries are inserted on one line too. */
  compact: boolean
  /** Compact files: whether there is a space after ":". */
  spaced: boolean
}

const NEW_FILE_STYLE: Style = { formatting: { insertSpaces: true, tabSize: 2, eol: '\n' }, compact: false, spaced: true }

function detectStyle(text: string): Style {
  const nl = text.indexOf('\n')
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n'
  // The indentation of the first line that starts with a key; comment blocks (" * …") do not count.
  const indent = /^([ \t]+)"/m.exec(text)?.[1]
  const formatting: FormattingOptions = indent?.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent?.length ?? 2, eol }
  const body = text.trimEnd()
  return { formatting, compact: body.length > 2 && !body.includes('\n'), spaced: /"\s*:\s/.test(body) }
}

/** A value that must be in the file after the change, checked again on the file read back. */
interface Expectation {
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
function locate(doc: ConfigDoc, path: string[]): PathSpans {
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

const stripBom = (text: string | null) => (text?.startsWith(BOM) ? text.slice(1) : (text ?? ''))

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
  const value = parseFragment(doc.body.slice(found.value.start, found.value.end), doc.strict)
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const { line, column } = lineColumn(doc.body, found.value.start)
    throw new KeywardenError(
      'file-unparseable',
      `${doc.label}'s ${doc.file}: "${path.at(-1)}" at line ${line}, column ${column} should be an object of servers but is not. Fix it or move the file aside; Keywarden did not change it.`
    )
  }
  return Object.keys(value)
}

/** Sets (or, with undefined, removes) the member at a path, creating missing objects on the way. */
export function setAt(doc: ConfigDoc, path: string[], value: unknown): void {
  // The object that holds the member (or the deepest one on the way that exists): one scan of the
  // file finds it, and usually that scan was already made to list the servers there.
  const parent = locate(doc, path.slice(0, -1))
  const depth = parent.found
  const holder = depth === path.length - 1 ? parent.value! : parent.objects[depth]!
  const rest = path.slice(depth)
  if (depth === path.length - 1) {
    // The member itself is looked for inside the holder only: a small text, duplicates refused.
    const inner = locatePath(doc.body.slice(holder.start, holder.end), rest, doc, { text: doc.body, offset: holder.start })
    if (!inner.value && value === undefined) return
  } else if (value === undefined) return
  editWithin(doc, holder, rest, value, (edited) => isDeepStrictEqual(getAt(edited, rest), value))
  doc.expectations.push({ path, value })
}

/** Adds or removes a VS Code `inputs` entry by its id; an id already there is left alone. */
export function setInput(doc: ConfigDoc, id: string, entry: Record<string, unknown> | undefined): void {
  const found = locate(doc, ['inputs'])
  if (!found.value) {
    if (entry) setAt(doc, ['inputs'], [entry])
    return
  }
  const inputs = parseFragment(doc.body.slice(found.value.start, found.value.end), doc.strict)
  if (!Array.isArray(inputs)) {
    const { line, column } = lineColumn(doc.body, found.value.start)
    throw new KeywardenError(
      'file-unparseable',
      `${doc.label}'s ${doc.file}: "inputs" at line ${line}, column ${column} should be a list but is not. Fix it or move the file aside; Keywarden did not change it.`
    )
  }
  const index = inputs.findIndex((i: { id?: unknown } | null) => i?.id === id)
  if (entry ? index >= 0 : index < 0) return
  const wanted = entry ? [...inputs, entry] : inputs.filter((_, i) => i !== index)
  editWithin(
    doc,
    found.objects[0]!,
    ['inputs', entry ? inputs.length : index],
    entry,
    (holder) => isDeepStrictEqual(getAt(holder, ['inputs']), wanted),
    { isArrayInsertion: Boolean(entry) }
  )
  doc.expectations.push({ path: ['inputs'], inputId: id, value: entry })
}

/**
 * One jsonc-parser edit of `path` inside the object `holder`, laid out in the file's style: the
 * edit itself is raw (nothing around it reformatted), and only the text it inserts is formatted.
 * The result is checked by parsing the holder again, which is all that changed.
 */
function editWithin(
  doc: ConfigDoc,
  holder: Span,
  path: (string | number)[],
  value: unknown,
  holds: (holder: unknown) => boolean,
  options: { isArrayInsertion?: boolean } = {}
): void {
  const before = doc.body
  const sub = before.slice(holder.start, holder.end)
  const raw =
    value === undefined && typeof path.at(-1) === 'number'
      ? removeElement(sub, path)
      : modify(sub, path, value, { isArrayInsertion: options.isArrayInsertion })
  if (raw.length !== 1) throw unsafe(doc)
  const edit = { ...raw[0]!, offset: raw[0]!.offset + holder.start }
  const edits = value === undefined ? removal(before, edit) : insertion(before, edit, doc.style)
  let after = applyEdits(before, edits)
  const last = edits.at(-1)!
  if (!doc.style.compact && value !== undefined && /[{[]/.test(last.content)) {
    // Format what was inserted, nothing else. An insertion that does not begin with its own comma
    // (into an empty object, after a comment) also needs the line breaks just outside it.
    const shift = edits.slice(0, -1).reduce((n, e) => n + e.content.length - e.length, 0)
    const pad = last.length === 0 && !last.content.startsWith(',') ? 1 : 0
    const range = { offset: last.offset + shift - pad, length: last.content.length + 2 * pad }
    const end = range.offset + range.length
    const layout = format(after, range, doc.style.formatting)
      .filter((e) => e.offset >= range.offset && e.offset + e.length <= end)
      .map((e) => ({ ...e, offset: e.offset - range.offset }))
    // Applied to the inserted stretch alone, then spliced in once: a large file is copied once.
    after = after.slice(0, range.offset) + applyEdits(after.slice(range.offset, end), layout) + after.slice(end)
  }
  const delta = after.length - before.length
  let edited: unknown
  try {
    edited = parseFragment(after.slice(holder.start, holder.end + delta), doc.strict)
  } catch {
    edited = undefined
  }
  if (edited === undefined || !holds(edited)) throw unsafe(doc)
  // Every change, formatting included, lies within a character of the raw edits.
  const from = Math.max(0, edits[0]!.offset - 1)
  const suffix = Math.max(0, before.length - (last.offset + last.length) - 1)
  if (!doc.outline && doc.located?.body === before && before === stripBom(doc.original))
    doc.outline = { path: doc.located.path, spans: doc.located.spans }
  doc.body = after
  doc.parsed = undefined
  doc.from = Math.min(doc.from, from)
  doc.suffix = Math.min(doc.suffix, suffix)
}

/**
 * Removing an array element, as jsonc-parser removes an object member: from the end of the
 * element before it (its own edit for a last element assumes the `]` sits on a line of its own).
 */
function removeElement(sub: string, path: (string | number)[]): Edit[] {
  const array = findNodeAtLocation(parseTree(sub)!, path.slice(0, -1))
  const items = array?.children ?? []
  const index = path.at(-1) as number
  if (index < items.length - 1 || items.length < 2) return modify(sub, path, undefined, {})
  const previous = items[index - 1]!
  const item = items[index]!
  return [{ offset: previous.offset + previous.length, length: item.offset + item.length - previous.offset - previous.length, content: '' }]
}

const unsafe = (doc: ConfigDoc) =>
  new KeywardenError(
    'internal',
    `Keywarden could not make this change to ${doc.file} safely, so it wrote nothing. Please report this with the shape of the file (not its keys).`
  )

/** A comment after the value at `end`, on the same line: where that line's own text ends. */
function commentEnd(t: string, end: number): number | undefined {
  let i = end
  while (t[i] === ' ' || t[i] === '\t') i++
  if (t.startsWith('//', i)) {
    const nl = t.indexOf('\n', i)
    const stop = nl < 0 ? t.length : nl
    return t[stop - 1] === '\r' ? stop - 1 : stop
  }
  if (t.startsWith('/*', i)) {
    const close = t.indexOf('*/', i)
    if (close >= 0 && !t.slice(i, close).includes('\n')) return close + 2
  }
  return undefined
}

/**
 * jsonc-parser appends `,"name": value` right after the last value; when a comment follows that
 * value on its line, the comma stays there and the new member goes after the comment, so the
 * comment keeps describing what it described. Compact files keep their own spacing.
 */
function insertion(t: string, edit: Edit, style: Style): Edit[] {
  let content = edit.content
  if (style.compact && !style.spaced) content = content.replace(/^(,?"(?:[^"\\]|\\.)*"): /, '$1:')
  if (edit.length === 0 && content.startsWith(',')) {
    const after = commentEnd(t, edit.offset)
    if (after !== undefined) {
      // A line comment runs to the end of its line: the new member starts a line of its own.
      const lineStart = t.lastIndexOf('\n', edit.offset) + 1
      const indent = /^[ \t]*/.exec(t.slice(lineStart))![0]
      return [
        { offset: edit.offset, length: 0, content: ',' },
        { offset: after, length: 0, content: `${style.formatting.eol}${indent}${content.slice(1)}` }
      ]
    }
  }
  return [{ ...edit, content }]
}

/**
 * Removing a member: jsonc-parser's edit runs from the end of the member before it; a comment in
 * that stretch stays, and a container left with only whitespace inside becomes `{}` / `[]`.
 */
function removal(t: string, edit: Edit): Edit[] {
  const start = edit.offset
  const end = edit.offset + edit.length
  const open = t.lastIndexOf('{', start) === start - 1 || t.lastIndexOf('[', start) === start - 1
  if (open) {
    // The first member: keep the line break before the next one by removing whole lines.
    const close = t.indexOf(t[start - 1] === '{' ? '}' : ']', end)
    if (/^\s*$/.test(t.slice(end, close))) return [{ offset: start, length: close - start, content: '' }]
    const lineStart = t.lastIndexOf('\n', end - 1)
    if (lineStart >= start && /^\s*$/.test(t.slice(lineStart, end))) {
      const firstLine = t.indexOf('\n', start)
      if (firstLine >= 0 && firstLine < lineStart) return [{ offset: firstLine, length: lineStart - firstLine, content: '' }]
    }
    return [edit]
  }
  const stretch = t.slice(start, end)
  const comment = firstComment(stretch)
  if (comment === undefined) return [edit]
  // `"a": 1, // about a` then the removed member on its own lines: drop the comma and those lines.
  const comma = stretch.indexOf(',')
  const memberLine = t.indexOf('\n', start + comment)
  if (comma < 0 || comma > comment || memberLine < 0 || memberLine >= end) return [edit]
  return [
    { offset: start + comma, length: 1, content: '' },
    {
      offset: t[memberLine - 1] === '\r' ? memberLine - 1 : memberLine,
      length: end - (t[memberLine - 1] === '\r' ? memberLine - 1 : memberLine),
      content: ''
    }
  ]
}

/** Where the first comment in a stretch of JSONC starts (the stretch begins outside any string). */
function firstComment(text: string): number | undefined {
  const scanner = createScanner(text, false)
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === LINE_COMMENT || token === BLOCK_COMMENT) return scanner.getTokenOffset()
  }
  return undefined
}

/** The ids of `inputs` referred to as `${input:id}` anywhere in a text. */
export function inputsInUse(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{input:([^}\s]+)\}/g)].map((m) => m[1]!))
}

export function inputById(inputs: unknown, id: string): unknown {
  return Array.isArray(inputs) ? inputs.find((i: { id?: unknown } | null) => i?.id === id) : undefined
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
 * Checks a text (the file read back after writing) holds every expected value. The same bytes as
 * written need no second look: each edit was checked when it was made.
 */
export function holdsExpectations(doc: ConfigDoc, text: string): boolean {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  if (body === doc.body) return true
  try {
    const value = parseConfigText(body, doc.file, doc.label).value
    return doc.expectations.every((e) =>
      isDeepStrictEqual(e.inputId !== undefined ? inputById(getAt(value, ['inputs']), e.inputId) : getAt(value, e.path), e.value)
    )
  } catch {
    return false
  }
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

/** Sets (or removes) one value in a JSON/JSONC text, touching only that member. */
export function editText(text: string | null, path: string[], value: unknown): string {
  const doc = openDoc('config', 'The config', text)
  setAt(doc, path, value)
  return docText(doc)
}
