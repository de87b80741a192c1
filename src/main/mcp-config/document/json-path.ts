import { visit } from 'jsonc-parser'
import { KeywardenError } from '../../../shared/errors'
import { fastLocate } from './fast-path-scan'

/** A stretch of a text: `start` inclusive, `end` exclusive. */
export interface Span {
  start: number
  end: number
}

export interface PathSpans {
  /** The objects along the path that exist: the root, then the value of each key found. */
  objects: Span[]
  /** How many keys of the path exist (all of them when equal to the path's length). */
  found: number
  /** The value at the end of the path, when it exists. */
  value?: Span
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

interface Frame {
  /** Depth in the path of this object (the root is 0); -1 for anything off the path. */
  level: number
  /** The last key read in this object is the path's key at this level. */
  matched: boolean
}

/**
 * Finds where each key of a path sits in a JSON/JSONC text, in one pass of jsonc-parser's
 * visitor (no syntax tree: a large ~/.claude.json costs a scan, not an allocation per value).
 * A key found twice in one object along the path, or a value on the way that is not an object,
 * is refused: parsers keep the last duplicate while an edit would change the first, and an edit
 * into a list or a string would corrupt the file.
 */
export function locatePath(
  text: string,
  path: string[],
  where: { file: string; label: string },
  within?: { text: string; offset: number }
): PathSpans {
  return fastLocate(text, path) ?? scanLocate(text, path, where, within)
}

/** The same, by jsonc-parser's full scan: decides every case the fast one leaves, and words errors. */
export function scanLocate(
  text: string,
  path: string[],
  where: { file: string; label: string },
  within?: { text: string; offset: number }
): PathSpans {
  // Errors name the line in the whole file when `text` is a stretch of it.
  const position = (offset: number) => (within ? lineColumn(within.text, within.offset + offset) : lineColumn(text, offset))
  const objects: Span[] = []
  const values: Array<Span & { kind: 'object' | 'array' | 'literal' }> = []
  const seen: number[] = []
  let duplicate: { key: string; offset: number } | undefined
  const stack: Frame[] = []

  const valueStarts = (offset: number, kind: 'object' | 'array' | 'literal', length = 0): number => {
    const parent = stack.at(-1)
    if (!parent?.matched) return -1
    parent.matched = false
    values[parent.level] = { start: offset, end: offset + length, kind }
    return parent.level
  }

  visit(
    text,
    {
      onObjectBegin(offset) {
        const parentLevel = stack.length === 0 ? -2 : valueStarts(offset, 'object')
        const level = stack.length === 0 ? 0 : parentLevel >= 0 ? parentLevel + 1 : -1
        if (level >= 0) objects[level] = { start: offset, end: text.length }
        stack.push({ level, matched: false })
        // Off the path nothing inside matters: jsonc-parser still checks it, without callbacks.
        return level >= 0
      },
      onObjectProperty(property, offset) {
        const frame = stack.at(-1)!
        frame.matched = frame.level >= 0 && frame.level < path.length && property === path[frame.level]
        if (!frame.matched) return
        seen[frame.level] = (seen[frame.level] ?? 0) + 1
        if (seen[frame.level]! > 1) duplicate ??= { key: property, offset }
      },
      onObjectEnd(offset, length) {
        const frame = stack.pop()!
        if (frame.level < 0) return
        objects[frame.level]!.end = offset + length
        if (frame.level > 0) values[frame.level - 1]!.end = offset + length
      },
      onArrayBegin(offset) {
        valueStarts(offset, 'array')
        stack.push({ level: -1, matched: false })
        return false
      },
      onArrayEnd(offset, length) {
        stack.pop()
        const parent = stack.at(-1)
        const v = parent && parent.level >= 0 ? values[parent.level] : undefined
        if (v && v.kind === 'array' && v.end === v.start) v.end = offset + length
      },
      onLiteralValue(_value, offset, length) {
        valueStarts(offset, 'literal', length)
      }
    },
    { allowTrailingComma: true, disallowComments: false }
  )

  if (duplicate) {
    const { line, column } = position(duplicate.offset)
    throw new KeywardenError(
      'file-unparseable',
      `${where.label}'s ${where.file} has "${duplicate.key}" twice in the same object (line ${line}, column ${column}). Programs disagree on which one counts, so Keywarden did not change the file; remove one of them.`
    )
  }
  let found = 0
  while (found < path.length && values[found]) {
    const v = values[found]!
    if (found < path.length - 1 && v.kind !== 'object') {
      const { line, column } = position(v.start)
      throw new KeywardenError(
        'file-unparseable',
        `${where.label}'s ${where.file}: "${path[found]}" at line ${line}, column ${column} should be an object but is ${describe(text, v)}. Fix it or move the file aside; Keywarden did not change it.`
      )
    }
    found++
  }
  return { objects: objects.slice(0, found + 1), found, value: found === path.length ? values[found - 1] : undefined }
}

function describe(text: string, v: Span & { kind: string }): string {
  if (v.kind === 'array') return 'a list'
  const word = text.slice(v.start, v.end)
  if (word.startsWith('"')) return 'a string'
  return word === 'null' ? 'null' : word === 'true' || word === 'false' ? 'a boolean' : 'a number'
}
