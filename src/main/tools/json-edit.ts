import type { Member, ObjectSpan } from './json-locate'
import { skipTrivia } from './json-locate'

/** One replacement in a text; edits in one list never overlap and are sorted by offset. */
export interface TextEdit {
  offset: number
  length: number
  content: string
}

/** How a file is laid out, so an inserted entry looks as if its owner had typed it. */
export interface Style {
  eol: string
  /** One level of indentation. */
  unit: string
  /** The whole file sits on one line (minified): entries are inserted on one line too. */
  compact: boolean
  /** Compact files: a space after ":" and ",". */
  spaced: boolean
}

export const NEW_FILE_STYLE: Style = { eol: '\n', unit: '  ', compact: false, spaced: true }

export function detectStyle(text: string): Style {
  const nl = text.indexOf('\n')
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n'
  // The indentation of the first line that starts with a key; comment blocks (" * …") do not count.
  const indented = /^([ \t]+)"/m.exec(text)?.[1]
  const unit = indented ? (indented.startsWith('\t') ? '\t' : indented) : '  '
  const body = text.trimEnd()
  const compact = body.length > 2 && !body.includes('\n')
  const colon = /"\s*:(\s?)/.exec(body)
  return { eol, unit, compact, spaced: colon ? colon[1] !== '' : true }
}

/** A value on one line: `{"a":1}` or, spaced, `{ "a": 1 }`. */
export function inlineJson(value: unknown, spaced: boolean): string {
  if (!spaced) return JSON.stringify(value)
  if (Array.isArray(value)) return value.length ? `[ ${value.map((v) => inlineJson(v, true)).join(', ')} ]` : '[]'
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v, true)}`).join(', ')} }` : '{}'
  }
  return JSON.stringify(value)
}

/** A value laid out over lines, its inner lines indented from `indent`. */
export function blockJson(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent)
}

const lineStart = (t: string, pos: number) => t.lastIndexOf('\n', pos - 1) + 1
const isBlank = (s: string) => s.trim() === ''
function lineIndent(t: string, pos: number): string {
  const start = lineStart(t, pos)
  return /^[ \t]*/.exec(t.slice(start, pos))![0]
}
function skipSpaces(t: string, i: number): number {
  while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9) i++
  return i
}
const atLineEnd = (t: string, i: number) => i >= t.length || t.charCodeAt(i) === 10 || t.charCodeAt(i) === 13

/** Past a comment that ends on the same line, if one starts at `i`. */
function skipSameLineComment(t: string, i: number): number {
  if (t.startsWith('//', i)) {
    const nl = t.indexOf('\n', i)
    const end = nl < 0 ? t.length : nl
    return t.charCodeAt(end - 1) === 13 ? end - 1 : end
  }
  if (t.startsWith('/*', i)) {
    const end = t.indexOf('*/', i + 2)
    if (end >= 0 && !t.slice(i, end).includes('\n')) return skipSpaces(t, end + 2)
  }
  return i
}

/** An object's members or an array's elements, by where each starts and ends. */
export interface Items {
  start: number
  end: number
  items: Array<{ start: number; end: number }>
}

export const objectItems = (o: ObjectSpan): Items => ({ start: o.start, end: o.end, items: o.members.map((m) => ({ start: m.keyStart, end: m.valueEnd })) })

/** Whether the items sit one per line (as opposed to `{ "a": 1 }` on one line). */
function isMultiline(t: string, c: Items, style: Style): boolean {
  if (style.compact) return false
  return c.items.length === 0 || t.slice(c.start, c.end).includes('\n')
}

/**
 * Adds an item after the last one. Only the container's inside changes: a comma after the previous
 * item and the new item; nothing that was there moves — a comment trailing the previous item stays
 * on its line. `render` gets the indentation for a block layout, or null for one line.
 */
export function insertItem(t: string, c: Items, render: (indent: string | null, spaced: boolean) => string, style: Style): TextEdit[] {
  const last = c.items.at(-1)
  if (!isMultiline(t, c, style)) {
    const spaced = style.compact ? style.spaced : true
    const item = render(null, spaced)
    if (!last) {
      const inside = t.slice(c.start + 1, c.end)
      if (isBlank(inside)) return [{ offset: c.start + 1, length: inside.length, content: spaced ? ` ${item} ` : item }]
      return [{ offset: c.end, length: 0, content: `${item} ` }]
    }
    const after = skipTrivia(t, last.end)
    if (t.charCodeAt(after) === 44) return [{ offset: after + 1, length: 0, content: `${spaced ? ' ' : ''}${item},` }]
    return [{ offset: last.end, length: 0, content: `,${spaced ? ' ' : ''}${item}` }]
  }

  if (!last) {
    const indent = lineIndent(t, c.start) + style.unit
    const item = render(indent, true)
    const closeLine = lineStart(t, c.end)
    // Braces over several lines (perhaps with comments inside): a new line just above the closing one.
    if (closeLine > c.start && isBlank(t.slice(closeLine, c.end))) return [{ offset: closeLine, length: 0, content: `${indent}${item}${style.eol}` }]
    const inside = t.slice(c.start + 1, c.end)
    const closing = `${style.eol}${lineIndent(t, c.start)}`
    if (isBlank(inside)) return [{ offset: c.start + 1, length: inside.length, content: `${style.eol}${indent}${item}${closing}` }]
    return [{ offset: c.end, length: 0, content: `${style.eol}${indent}${item}${closing}` }]
  }

  const indent = isBlank(t.slice(lineStart(t, last.start), last.start)) ? lineIndent(t, last.start) : lineIndent(t, c.start) + style.unit
  const line = `${style.eol}${indent}${render(indent, true)}`
  let q = skipSpaces(t, last.end)
  const comma = t.charCodeAt(q) === 44 ? q : -1
  if (comma >= 0) q = skipSpaces(t, q + 1)
  q = skipSameLineComment(t, q)
  if (atLineEnd(t, q)) {
    if (comma >= 0) return [{ offset: q, length: 0, content: `${line},` }]
    if (q === last.end) return [{ offset: q, length: 0, content: `,${line}` }]
    return [
      { offset: last.end, length: 0, content: ',' },
      { offset: q, length: 0, content: line }
    ]
  }
  // Something else follows on the same line (the closing brace, say): insert right there.
  if (comma >= 0) return [{ offset: comma + 1, length: 0, content: `${line},` }]
  return [{ offset: last.end, length: 0, content: `,${line}` }]
}

/** Adds `"key": value` as an object's last member. */
export function insertMember(t: string, object: ObjectSpan, key: string, value: unknown, style: Style): TextEdit[] {
  const name = JSON.stringify(key)
  return insertItem(t, objectItems(object), (indent, spaced) => (indent === null ? `${name}:${spaced ? ' ' : ''}${inlineJson(value, spaced)}` : `${name}: ${blockJson(value, indent, style)}`), style)
}

/** Adds a value as an array's last element. */
export function insertElement(t: string, array: Items, value: unknown, style: Style): TextEdit[] {
  return insertItem(t, array, (indent, spaced) => (indent === null ? inlineJson(value, spaced) : blockJson(value, indent, style)), style)
}

/** Replaces a member's value, laid out like the member's own line. */
export function replaceValue(t: string, member: Member, value: unknown, style: Style): TextEdit[] {
  let content: string
  if (value === null || typeof value !== 'object') content = JSON.stringify(value)
  else if (style.compact) content = inlineJson(value, style.spaced)
  else content = blockJson(value, lineIndent(t, member.keyStart), style)
  return [{ offset: member.valueStart, length: member.valueEnd - member.valueStart, content }]
}

/**
 * Removes one item: its whole lines when it has lines of its own, else just its text, with the
 * comma that separated it. A container left with nothing but whitespace inside becomes `{}`/`[]`.
 */
export function removeItem(t: string, c: Items, index: number): TextEdit[] {
  const m = c.items[index]!
  const prev = c.items[index - 1]
  let q = skipSpaces(t, m.end)
  const hasComma = t.charCodeAt(q) === 44
  const afterComma = hasComma ? q + 1 : m.end
  q = skipSpaces(t, afterComma)
  const ownLines = isBlank(t.slice(lineStart(t, m.start), m.start)) && atLineEnd(t, q)

  if (c.items.length === 1) {
    const rest = t.slice(c.start + 1, m.start) + t.slice(q, c.end)
    if (isBlank(rest)) return [{ offset: c.start + 1, length: c.end - c.start - 1, content: '' }]
  }
  // The last item loses the comma before it (unless it had a trailing comma of its own).
  const prevComma = !hasComma && prev ? skipTrivia(t, prev.end) : -1
  const dropPrevComma = prevComma >= 0 && t.charCodeAt(prevComma) === 44
  if (ownLines) {
    const edits: TextEdit[] = dropPrevComma ? [{ offset: prevComma, length: 1, content: '' }] : []
    const start = lineStart(t, m.start)
    let end = q
    if (t.charCodeAt(end) === 13) end++
    if (t.charCodeAt(end) === 10) end++
    edits.push({ offset: start, length: end - start, content: '' })
    return edits
  }
  if (hasComma) return [{ offset: m.start, length: q - m.start, content: '' }]
  if (dropPrevComma) return [{ offset: prevComma, length: m.end - prevComma, content: '' }]
  return [{ offset: m.start, length: m.end - m.start, content: '' }]
}

/** Applies sorted, non-overlapping edits. */
export function applyTextEdits(t: string, edits: TextEdit[]): string {
  let out = ''
  let at = 0
  for (const e of edits) {
    out += t.slice(at, e.offset) + e.content
    at = e.offset + e.length
  }
  return out + t.slice(at)
}
