import { createScanner, type Edit, type SyntaxKind } from 'jsonc-parser'
import type { Style } from './layout-style'

// jsonc-parser's token kinds (a const enum, so the values are spelled out).
const LINE_COMMENT = 12 as SyntaxKind.LineCommentTrivia
const BLOCK_COMMENT = 13 as SyntaxKind.BlockCommentTrivia
const EOF = 17 as SyntaxKind.EOF

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
export function insertion(t: string, edit: Edit, style: Style): Edit[] {
  let content = edit.content
  if (style.compact && !style.spaced) content = content.replace(/^(,?"(?:[^"\\]|\\.)*"): /, '$1:')
  if (edit.length === 0 && content.startsWith(',')) {
    const lineStart = t.lastIndexOf('\n', edit.offset) + 1
    const indent = /^[ \t]*/.exec(t.slice(lineStart))![0]
    let comma = edit.offset
    while (t[comma] === ' ' || t[comma] === '\t') comma++
    if (t[comma] === ',' && !style.compact) {
      // A trailing comma after the last value: it stays that value's, with the comment after it;
      // the new value goes on a line of its own below, with a trailing comma of its own.
      const end = commentEnd(t, comma + 1) ?? comma + 1
      return [{ offset: end, length: 0, content: `${style.formatting.eol}${indent}${content.slice(1)},` }]
    }
    const after = commentEnd(t, edit.offset)
    if (after !== undefined) {
      // A line comment runs to the end of its line: the new member starts a line of its own.
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
export function removal(t: string, edit: Edit): Edit[] {
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
