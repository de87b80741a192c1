import { isDeepStrictEqual } from 'node:util'
import { applyEdits, findNodeAtLocation, format, modify, parseTree, type Edit } from 'jsonc-parser'
import { KeywardenError } from '../../../shared/errors'
import { locatePath, type Span } from './json-path'
import { parseFragment } from './jsonc-file'
import { getAt, locate, stripBom, type ConfigDoc } from './config-doc'
import { insertion, removal } from './trivia-edits'

/** Sets (or, with undefined, removes) the member at a path, creating missing objects on the way. */
export function setAt(doc: ConfigDoc, path: string[], value: unknown): void {
  // The object that holds the member (or the deepest one on the way that exists): one scan of the
  // file finds it, and usually that scan was already made to list the servers there.
  const parent = locate(doc, path.slice(0, -1))
  const depth = parent.found
  // The root (a top-level member) is its own holder: locating the empty path finds no value.
  const holder = depth === path.length - 1 ? (parent.value ?? parent.objects[depth]!) : parent.objects[depth]!
  const rest = path.slice(depth)
  if (depth === path.length - 1) {
    // The member itself is looked for inside the holder only: a small text, duplicates refused.
    const inner = locatePath(doc.body.slice(holder.start, holder.end), rest, doc, { text: doc.body, offset: holder.start })
    if (!inner.value && value === undefined) return
  } else if (value === undefined) return
  editWithin(doc, holder, rest, value, (edited) => isDeepStrictEqual(getAt(edited, rest), value))
  doc.expectations.push({ path, value })
}

/**
 * One jsonc-parser edit of `path` inside the object `holder`, laid out in the file's style: the
 * edit itself is raw (nothing around it reformatted), and only the text it inserts is formatted.
 * The result is checked by parsing the holder again, which is all that changed.
 */
export function editWithin(
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
    const pad = last.length === 0 && !/^(,|\r?\n)/.test(last.content) ? 1 : 0
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
