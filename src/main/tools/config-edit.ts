import { isDeepStrictEqual } from 'node:util'
import { KeywardenError } from '../../shared/errors'
import { applyTextEdits, detectStyle, insertElement, insertMember, NEW_FILE_STYLE, objectItems, removeItem, replaceValue, type Style, type TextEdit } from './json-edit'
import { enclosingKeys, lineColumn, locate, readArray, readObject, type Located } from './json-locate'
import { BOM, parseConfigText, parseFragment } from './jsonc-file'

/** A value that must be in the file after the change, checked on the text and on the file read back. */
interface Expectation {
  /** Object keys from the root; for an `inputs` entry, its id. */
  path: string[]
  inputId?: string
  /** undefined: must be absent. */
  value: unknown
  /** Where to look without walking the whole file: an object's `{`, and the keys from there. */
  anchor?: { start: number; path: string[] }
}

/**
 * A config file being changed in memory. Every edit touches only the member it changes (see
 * json-edit), and the region that changed is tracked, so the diff and the checks never need to
 * scan or parse the whole of a large file again.
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
  /** The parsed original, while the body is unchanged: lets `locate` take its shortcut. */
  parsed?: unknown
  /** Unchanged prefix and suffix lengths of `body` against the original body. */
  from: number
  suffix: number
  /** Objects along the first edit's path, in the original's offsets: where the diff starts reading. */
  outline: Array<{ start: number; keys: string[] }>
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
    parsed: parsed.strict && !created ? parsed.value : undefined,
    from: body.length,
    suffix: body.length,
    outline: [],
    expectations: []
  }
}

export const docText = (doc: ConfigDoc) => (doc.bom ? BOM : '') + doc.body
export const docChanged = (doc: ConfigDoc) => docText(doc) !== doc.original

const find = (doc: ConfigDoc, path: string[]): Located => locate(doc.body, path, doc, doc.parsed)

/** The value at a path, read from the text (undefined when absent). */
export function valueAt(doc: ConfigDoc, path: string[]): unknown {
  const found = find(doc, path)
  return found.member ? parseFragment(doc.body.slice(found.member.valueStart, found.member.valueEnd), doc.strict) : undefined
}

/** The keys of the object at a path ([] when it is absent); refuses duplicates and non-objects. */
export function keysAt(doc: ConfigDoc, path: string[]): string[] {
  const found = find(doc, path)
  if (!found.member) return []
  if (doc.body.charCodeAt(found.member.valueStart) !== 123) {
    const { line, column } = lineColumn(doc.body, found.member.valueStart)
    throw new KeywardenError('file-unparseable', `${doc.label}'s ${doc.file}: "${path.at(-1)}" at line ${line}, column ${column} should be an object of servers but is not. Fix it or move the file aside; Keywarden did not change it.`)
  }
  return readObject(doc.body, found.member.valueStart).members.map((m) => m.key)
}

/** Sets (or, with undefined, removes) the member at a path, creating missing objects on the way. */
export function setAt(doc: ConfigDoc, path: string[], value: unknown): void {
  const t = doc.body
  const found = find(doc, path)
  let edits: TextEdit[]
  let depth: number
  if (found.member && found.found === path.length) {
    depth = path.length - 1
    const object = found.objects[depth]!
    const at = found.member.keyStart
    edits = value === undefined ? removeItem(t, objectItems(object), object.members.findIndex((m) => m.keyStart === at)) : replaceValue(t, found.member, value, doc.style)
  } else {
    if (value === undefined) return
    depth = found.found
    const rest = path.slice(depth)
    const nested = rest.slice(1).reduceRight<unknown>((v, k) => ({ [k]: v }), value)
    edits = insertMember(t, found.objects[depth]!, rest[0]!, nested, doc.style)
  }
  if (doc.outline.length === 0) doc.outline = found.objects.slice(0, depth + 1).map((o, i) => ({ start: o.start, keys: path.slice(0, i) }))
  const object = found.objects[depth]!
  const relative = path.slice(depth)
  apply(doc, edits, object.start, object.end, (edited) => isDeepStrictEqual(getAt(edited, relative), value))
  doc.expectations.push({ path, value, anchor: { start: object.start, path: relative } })
}

/** Adds or removes a VS Code `inputs` entry by its id; an id already there is left alone. */
export function setInput(doc: ConfigDoc, id: string, entry: Record<string, unknown> | undefined): void {
  const t = doc.body
  const found = find(doc, ['inputs'])
  if (!found.member) {
    if (entry) setAt(doc, ['inputs'], [entry])
    return
  }
  if (t.charCodeAt(found.member.valueStart) !== 91) {
    const { line, column } = lineColumn(t, found.member.valueStart)
    throw new KeywardenError('file-unparseable', `${doc.label}'s ${doc.file}: "inputs" at line ${line}, column ${column} should be a list but is not. Fix it or move the file aside; Keywarden did not change it.`)
  }
  const array = readArray(t, found.member.valueStart)
  const index = array.items.findIndex((item) => (parseSafe(t.slice(item.start, item.end), doc.strict) as { id?: unknown } | undefined)?.id === id)
  if (entry ? index >= 0 : index < 0) return
  const edits = entry ? insertElement(t, array, entry, doc.style) : removeItem(t, array, index)
  apply(doc, edits, array.start, array.end, (edited) => isDeepStrictEqual(inputById(edited, id), entry))
  doc.expectations.push({ path: ['inputs'], inputId: id, value: entry })
}

/** The ids of `inputs` referred to as `${input:id}` anywhere in a text. */
export function inputsInUse(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{input:([^}\s]+)\}/g)].map((m) => m[1]!))
}

const parseSafe = (text: string, strict: boolean): unknown => {
  try {
    return parseFragment(text, strict)
  } catch {
    return undefined
  }
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
 * Applies edits made inside the container [start, end] and checks the result by parsing just that
 * container: every byte outside it is unchanged, so the file as a whole still parses.
 */
function apply(doc: ConfigDoc, edits: TextEdit[], start: number, end: number, holds: (edited: unknown) => boolean): void {
  const before = doc.body
  const after = applyTextEdits(before, edits)
  const delta = after.length - before.length
  let edited: unknown
  try {
    edited = parseFragment(after.slice(start, end + 1 + delta), doc.strict)
  } catch {
    edited = undefined
  }
  if (edited === undefined || !holds(edited)) {
    throw new KeywardenError('internal', `Keywarden could not make this change to ${doc.file} safely, so it wrote nothing. Please report this with the shape of the file (not its keys).`)
  }
  for (const e of doc.expectations) {
    if (!e.anchor) continue
    const a = e.anchor.start
    if (edits.some((x) => x.offset < a && a < x.offset + x.length)) e.anchor = undefined
    else e.anchor.start += edits.filter((x) => x.offset + x.length <= a && x.offset < a).reduce((n, x) => n + x.content.length - x.length, 0)
  }
  doc.body = after
  doc.parsed = undefined
  doc.from = Math.min(doc.from, edits[0]!.offset)
  const last = edits.at(-1)!
  doc.suffix = Math.min(doc.suffix, before.length - (last.offset + last.length))
}

/**
 * Checks a text (the file read back after writing) holds every expected value: each is found
 * from its anchor and parsed on its own, a fraction of the cost of parsing the whole file.
 */
export function holdsExpectations(doc: ConfigDoc, text: string): boolean {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  const read: ConfigDoc = { ...doc, body, parsed: undefined }
  try {
    return doc.expectations.every((e) => {
      if (e.inputId !== undefined) return isDeepStrictEqual(inputById(valueAt(read, ['inputs']), e.inputId), e.value)
      if (!e.anchor || body !== doc.body) return isDeepStrictEqual(valueAt(read, e.path), e.value)
      let object = readObject(body, e.anchor.start)
      const keys = e.anchor.path
      for (let i = 0; i < keys.length; i++) {
        const member = object.members.find((m) => m.key === keys[i])
        if (!member) return e.value === undefined
        if (i === keys.length - 1) return isDeepStrictEqual(parseFragment(body.slice(member.valueStart, member.valueEnd), doc.strict), e.value)
        if (body.charCodeAt(member.valueStart) !== 123) return false
        object = readObject(body, member.valueStart)
      }
      return false
    })
  } catch {
    return false
  }
}

/** The keys enclosing an offset of the original text, starting from the nearest known object. */
export function keysAtOffset(doc: ConfigDoc, original: string, offset: number): string[] {
  const near = doc.outline.filter((o) => o.start < offset).at(-1)
  return near ? [...near.keys, ...enclosingKeys(original, offset, near.start)] : enclosingKeys(original, offset)
}

/** Sets (or removes) one value in a JSON/JSONC text, touching only that member. */
export function editText(text: string | null, path: string[], value: unknown): string {
  const doc = openDoc('config', 'The config', text)
  setAt(doc, path, value)
  return docText(doc)
}
