import { KeywardenError } from '../../shared/errors'

/**
 * Finding things in a JSON/JSONC text without building a tree: the text has already been checked
 * to parse, so this only has to step over values. On a 1.6 MB ~/.claude.json that is a few
 * milliseconds, against tens for a full syntax tree.
 */

export interface Member {
  key: string
  keyStart: number
  keyEnd: number
  valueStart: number
  valueEnd: number
}

/** An object in the text: `start` is its `{`, `end` its `}`. */
export interface ObjectSpan {
  start: number
  end: number
  members: Member[]
}

/** Skips whitespace and comments; returns the index of the next significant character. */
export function skipTrivia(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) {
      i++
      continue
    }
    if (c === 47) {
      const n = t.charCodeAt(i + 1)
      if (n === 47) {
        const e = t.indexOf('\n', i)
        i = e < 0 ? t.length : e + 1
        continue
      }
      if (n === 42) {
        const e = t.indexOf('*/', i + 2)
        i = e < 0 ? t.length : e + 2
        continue
      }
    }
    return i
  }
}

/** `i` at an opening quote; returns the index after the closing one. */
export function skipString(t: string, i: number): number {
  let j = i + 1
  for (;;) {
    const q = t.indexOf('"', j)
    if (q < 0) return t.length
    let b = q - 1
    while (t.charCodeAt(b) === 92) b--
    if ((q - 1 - b) % 2 === 0) return q + 1
    j = q + 1
  }
}

/** `i` at the first character of a value; returns the index after it. */
export function skipValue(t: string, i: number): number {
  const first = t.charCodeAt(i)
  if (first === 34) return skipString(t, i)
  if (first !== 123 && first !== 91) {
    let j = i
    for (;;) {
      const c = t.charCodeAt(j)
      if (j >= t.length || c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9 || c === 47) return j
      j++
    }
  }
  let depth = 0
  let j = i
  while (j < t.length) {
    const c = t.charCodeAt(j)
    if (c === 34) {
      j = skipString(t, j)
      continue
    }
    if (c === 47 && (t.charCodeAt(j + 1) === 47 || t.charCodeAt(j + 1) === 42)) {
      j = skipTrivia(t, j)
      continue
    }
    if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) {
      depth--
      if (depth === 0) return j + 1
    }
    j++
  }
  return t.length
}

function keyText(t: string, start: number, end: number): string {
  const raw = t.slice(start + 1, end - 1)
  return raw.includes('\\') ? (JSON.parse(t.slice(start, end)) as string) : raw
}

/** The members of the object whose `{` is at `start`. */
export function readObject(t: string, start: number): ObjectSpan {
  const members: Member[] = []
  let i = start + 1
  for (;;) {
    i = skipTrivia(t, i)
    const c = t.charCodeAt(i)
    if (c === 125 || i >= t.length) return { start, end: i, members }
    if (c === 44) {
      i++
      continue
    }
    const keyEnd = skipString(t, i)
    const valueStart = skipTrivia(t, skipTrivia(t, keyEnd) + 1)
    const valueEnd = skipValue(t, valueStart)
    members.push({ key: keyText(t, i, keyEnd), keyStart: i, keyEnd, valueStart, valueEnd })
    i = valueEnd
  }
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

export interface Located {
  /** The objects along the path that exist: the root, then each level found. */
  objects: ObjectSpan[]
  /** How many path segments exist (the whole path when equal to path.length). */
  found: number
  /** The member at the end of the path, when it exists. */
  member?: Member
}

/**
 * Walks a path of object keys. A key that appears twice in one object along the way, or a value
 * on the way that is not an object, is refused: JSON parsers keep the last duplicate while an
 * edit would change the first, and an edit into a non-object would corrupt the file.
 *
 * `parsed` (the same text, parsed as plain JSON) allows a shortcut on large files: a key that
 * occurs exactly once in the whole text, and that the parsed value has at this level, is this
 * level's key and has no duplicate — found with one native search instead of a scan.
 */
export function locate(t: string, path: string[], where: { file: string; label: string }, parsed?: unknown): Located {
  const rootStart = skipTrivia(t, 0)
  const shortcut = parsed !== undefined && t.length > 64 * 1024 && !t.includes('\\u') && !t.includes('\\/')
  let member: Member | undefined
  let value = parsed
  let object: ObjectSpan | undefined
  const objects: ObjectSpan[] = []
  let start = rootStart
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!
    const hit = shortcut && value && typeof value === 'object' && Object.hasOwn(value, key) ? uniqueKey(t, key) : undefined
    if (hit) {
      object = { start, end: -1, members: [] }
      member = hit
    } else {
      object = readObject(t, start)
      const matches = object.members.filter((m) => m.key === key)
      if (matches.length > 1) {
        const { line, column } = lineColumn(t, matches[1]!.keyStart)
        throw new KeywardenError(
          'file-unparseable',
          `${where.label}'s ${where.file} has "${key}" twice in the same object (line ${line}, column ${column}). Programs disagree on which one counts, so Keywarden did not change the file; remove one of them.`
        )
      }
      member = matches[0]
    }
    objects.push(object)
    if (!member) return { objects: objects.map((o) => complete(t, o)), found: depth }
    if (depth === path.length - 1) return { objects: objects.map((o) => complete(t, o)), found: path.length, member }
    if (t.charCodeAt(member.valueStart) !== 123) {
      const { line, column } = lineColumn(t, member.valueStart)
      throw new KeywardenError(
        'file-unparseable',
        `${where.label}'s ${where.file}: "${key}" at line ${line}, column ${column} should be an object of servers but is ${describe(t, member)}. Fix it or move the file aside; Keywarden did not change it.`
      )
    }
    start = member.valueStart
    value = (value as Record<string, unknown> | undefined)?.[key]
  }
  return { objects: [...objects.map((o) => complete(t, o)), readObject(t, start)], found: path.length, member }
}

/** Objects found by the shortcut are read only when an edit needs their members. */
function complete(t: string, o: ObjectSpan): ObjectSpan {
  return o.end >= 0 ? o : lazyObject(t, o.start)
}

function lazyObject(t: string, start: number): ObjectSpan {
  let read: ObjectSpan | undefined
  const get = () => (read ??= readObject(t, start))
  return {
    start,
    get end() {
      return get().end
    },
    get members() {
      return get().members
    }
  }
}

/** The one place `"key":` occurs as a key in the whole text, or undefined if not exactly one. */
function uniqueKey(t: string, key: string): Member | undefined {
  const token = JSON.stringify(key)
  let found: Member | undefined
  for (let i = t.indexOf(token); i >= 0; i = t.indexOf(token, i + 1)) {
    let b = i - 1
    while (t.charCodeAt(b) === 92) b--
    if ((i - 1 - b) % 2 === 1) continue // an escaped quote inside some string
    const colon = skipTrivia(t, i + token.length)
    if (t.charCodeAt(colon) !== 58) continue // a value, not a key
    if (found) return undefined
    const valueStart = skipTrivia(t, colon + 1)
    let valueEnd: number | undefined
    found = {
      key,
      keyStart: i,
      keyEnd: i + token.length,
      valueStart,
      // Stepping over a large value (all of "projects") is what the shortcut avoids: only on demand.
      get valueEnd() {
        return (valueEnd ??= skipValue(t, valueStart))
      }
    }
  }
  return found
}

function describe(t: string, m: Member): string {
  const c = t[m.valueStart]
  if (c === '[') return 'a list'
  if (c === '"') return 'a string'
  const word = t.slice(m.valueStart, m.valueEnd)
  return word === 'null' ? 'null' : word === 'true' || word === 'false' ? 'a boolean' : 'a number'
}

/**
 * The keys of the objects and arrays enclosing `offset` (innermost last), from the root or from
 * the value at `from`: enough to tell, when showing a few lines of a file, whether a string there
 * sits under "headers" or "env".
 */
export function enclosingKeys(t: string, offset: number, from = skipTrivia(t, 0)): string[] {
  const keys: string[] = []
  let i = from
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 123) {
      let j = i + 1
      let inside: { key: string; at: number } | undefined
      for (;;) {
        j = skipTrivia(t, j)
        const d = t.charCodeAt(j)
        if (d === 125 || j >= t.length || j >= offset) break
        if (d === 44) {
          j++
          continue
        }
        const keyEnd = skipString(t, j)
        const valueStart = skipTrivia(t, skipTrivia(t, keyEnd) + 1)
        const valueEnd = skipValue(t, valueStart)
        if (valueStart < offset && offset < valueEnd) {
          inside = { key: keyText(t, j, keyEnd), at: valueStart }
          break
        }
        j = valueEnd
      }
      if (!inside) return keys
      keys.push(inside.key)
      i = inside.at
    } else if (c === 91) {
      let j = i + 1
      let at: number | undefined
      for (;;) {
        j = skipTrivia(t, j)
        const d = t.charCodeAt(j)
        if (d === 93 || j >= t.length || j >= offset) break
        if (d === 44) {
          j++
          continue
        }
        const end = skipValue(t, j)
        if (j < offset && offset < end) {
          at = j
          break
        }
        j = end
      }
      if (at === undefined) return keys
      keys.push('[]')
      i = at
    } else return keys
  }
}

/** The elements of the array whose `[` is at `start`. */
export function readArray(t: string, start: number): { start: number; end: number; items: Array<{ start: number; end: number }> } {
  const items: Array<{ start: number; end: number }> = []
  let i = start + 1
  for (;;) {
    i = skipTrivia(t, i)
    const c = t.charCodeAt(i)
    if (c === 93 || i >= t.length) return { start, end: i, items }
    if (c === 44) {
      i++
      continue
    }
    const end = skipValue(t, i)
    items.push({ start: i, end })
    i = end
  }
}
