import { createTwoFilesPatch, formatPatch, parsePatch } from 'diff'
import { maskLines, maskValue } from './masked-diff'
import { tomlString } from './toml-text'

const SECRET_TABLES = new Set(['headers', 'http_headers', 'env'])
const KEY_PART = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)`
const KEY_PATH = new RegExp(String.raw`^\s*(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)\s*=`)
const HEADER = new RegExp(String.raw`^\s*\[\[?\s*(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)\s*\]\]?\s*(?:#.*)?$`)
const STRING = /"(?:[^"\\]|\\.)*"|'[^']*'/y

/** Masks the string values in a stretch of TOML; a string that `=` follows is a key and stays. */
function maskStrings(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '#') return out + text.slice(i)
    STRING.lastIndex = i
    const m = ch === '"' || ch === "'" ? STRING.exec(text) : null
    if (!m) {
      out += ch
      i++
      continue
    }
    const end = i + m[0].length
    out += /^\s*=/.test(text.slice(end)) ? m[0] : tomlString(maskValue(unquote(m[0])))
    i = end
  }
  return out
}

const keyNames = (path: string) =>
  [...path.matchAll(new RegExp(KEY_PART, 'g'))].map((m) => {
    const k = m[0]
    if (k.startsWith("'")) return k.slice(1, -1)
    return k.startsWith('"') ? (JSON.parse(k) as string) : k
  })

const unquote = (s: string) => {
  if (s.startsWith("'")) return s.slice(1, -1)
  try {
    return JSON.parse(s) as string
  } catch {
    return s.slice(1, -1)
  }
}

/**
 * A TOML text as it may be shown: every string value under an `http_headers`, `headers` or `env`
 * table — in `[…http_headers]` sections or inline (`http_headers = { … }`), whoever's server it is
 * — cut to its scheme and first characters, then every known key prefix and every value given.
 * Line by line, so showing a change to a large file costs no parse. `env_http_headers` and
 * `bearer_token_env_var` hold variable names and stay as they are.
 */
export function maskToml(text: string, secrets: string[]): string {
  let table: string[] = []
  const masked = text.split('\n').map((line) => {
    const header = HEADER.exec(line)
    if (header) {
      table = keyNames(header[1]!)
      return line
    }
    const pair = KEY_PATH.exec(line)
    const keys = pair ? [...table, ...keyNames(pair[1]!)] : table
    if (!keys.some((k) => SECRET_TABLES.has(k.toLowerCase()))) return line
    const at = pair ? pair[0].length : 0
    return line.slice(0, at) + maskStrings(line.slice(at))
  })
  return maskLines(masked.join('\n'), [], secrets)
}

/** A unified diff of a TOML config change with every key value masked. */
export function maskedTomlDiff(file: string, before: string, after: string, secrets: string[], context = 3): string {
  const clean = (s: string) => maskToml(s, secrets).replace(/\r\n/g, '\n')
  return formatPatch(parsePatch(createTwoFilesPatch(file, file, clean(before), clean(after), '', '', { context }))[0]!)
}
