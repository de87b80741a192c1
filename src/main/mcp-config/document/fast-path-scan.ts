import type { PathSpans, Span } from './json-path'

/**
 * The spans along a path found by skipping, not tokenising: at each object on the path only its
 * keys are read, and every other value is jumped over by matching brackets (strings and comments
 * respected). A large ~/.claude.json costs one pass of character comparisons instead of a token per
 * value. Returns undefined for anything it does not plainly understand — a syntax error, a key
 * twice on the path, a value on the way that is not an object — so the full scan decides those and
 * words the error.
 */
export function fastLocate(text: string, path: string[]): PathSpans | undefined {
  const objects: Span[] = []
  const values: Array<Span & { kind: 'object' | 'array' | 'literal' }> = []
  const i = skip(text, 0)
  if (text.charCodeAt(i) !== 123 /* { */) return undefined
  const end = object(i, 0)
  if (end < 0 || skip(text, end) !== text.length) return undefined

  /** Reads the object at `start` (on the path at `level`); returns the index after its `}`. */
  function object(start: number, level: number): number {
    objects[level] = { start, end: -1 }
    let seen = false
    let at = skip(text, start + 1)
    if (text.charCodeAt(at) === 125 /* } */) return (objects[level]!.end = at + 1)
    for (;;) {
      if (text.charCodeAt(at) !== 34) return -1
      const keyEnd = stringEnd(text, at)
      if (keyEnd < 0) return -1
      const raw = text.slice(at + 1, keyEnd - 1)
      const key = raw.includes('\\') ? (JSON.parse(text.slice(at, keyEnd)) as string) : raw
      at = skip(text, keyEnd)
      if (text.charCodeAt(at) !== 58 /* : */) return -1
      const valueStart = skip(text, at + 1)
      let valueEnd: number
      if (level < path.length && key === path[level]) {
        if (seen) return -1
        seen = true
        const c = text.charCodeAt(valueStart)
        if (c === 123 && level + 1 < path.length) {
          valueEnd = object(valueStart, level + 1)
          values[level] = { start: valueStart, end: valueEnd, kind: 'object' }
        } else {
          if (level + 1 < path.length) return -1
          valueEnd = skipValue(text, valueStart)
          values[level] = { start: valueStart, end: valueEnd, kind: c === 123 ? 'object' : c === 91 ? 'array' : 'literal' }
          if (c === 123) objects[level + 1] = { start: valueStart, end: valueEnd }
        }
      } else valueEnd = skipValue(text, valueStart)
      if (valueEnd < 0) return -1
      at = skip(text, valueEnd)
      if (text.charCodeAt(at) === 125) return (objects[level]!.end = at + 1)
      if (text.charCodeAt(at) !== 44 /* , */) return -1
      at = skip(text, at + 1)
      // A trailing comma before the closing brace (JSONC).
      if (text.charCodeAt(at) === 125) return (objects[level]!.end = at + 1)
    }
  }

  let found = 0
  while (found < path.length && values[found]) found++
  if (found < path.length && values[found - 1] && values[found - 1]!.kind !== 'object') return undefined
  return { objects: objects.slice(0, found + 1), found, value: found === path.length ? values[found - 1] : undefined }
}

/** The index after whitespace and comments from `i`. */
function skip(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) i++
    else if (c === 47 /* / */ && t.charCodeAt(i + 1) === 47) {
      const nl = t.indexOf('\n', i)
      i = nl < 0 ? t.length : nl + 1
    } else if (c === 47 && t.charCodeAt(i + 1) === 42 /* * */) {
      const close = t.indexOf('*/', i + 2)
      if (close < 0) return t.length
      i = close + 2
    } else return i
  }
}

/** The index after the string starting at `i` (a `"`), or -1. */
function stringEnd(t: string, i: number): number {
  let at = i + 1
  for (;;) {
    const q = t.indexOf('"', at)
    if (q < 0) return -1
    let slashes = 0
    for (let b = q - 1; t.charCodeAt(b) === 92; b--) slashes++
    if (slashes % 2 === 0) return q + 1
    at = q + 1
  }
}

/** The index after the value starting at `i`, or -1. */
function skipValue(t: string, i: number): number {
  const c = t.charCodeAt(i)
  if (c === 34) return stringEnd(t, i)
  if (c !== 123 && c !== 91) {
    let at = i
    while (at < t.length && !/[\s,}\]/]/.test(t[at]!)) at++
    return at > i ? at : -1
  }
  let depth = 0
  for (let at = i; at < t.length; at++) {
    const ch = t.charCodeAt(at)
    if (ch === 34) {
      at = stringEnd(t, at) - 1
      if (at < 0) return -1
    } else if (ch === 47 && (t.charCodeAt(at + 1) === 47 || t.charCodeAt(at + 1) === 42)) at = skip(t, at) - 1
    else if (ch === 123 || ch === 91) depth++
    else if (ch === 125 || ch === 93) {
      depth--
      if (depth === 0) return at + 1
    }
  }
  return -1
}
