/**
 * TOML text for the values Keywarden writes (strings, numbers, booleans, lists, tables), in the
 * layout people write by hand: basic strings, bare keys where TOML allows them, nested tables inline.
 * Everything it produces is TOML 1.0, which every Codex release reads.
 */

const BARE_KEY = /^[A-Za-z0-9_-]+$/

/** A key as TOML spells it: bare when it can be, otherwise a quoted basic string. */
export function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlString(key)
}

/** A dotted key path (`mcp_servers.docs`, `mcp_servers."my.server"`). */
export const tomlKeyPath = (path: string[]): string => path.map(tomlKey).join('.')

/** A basic string, with the escapes TOML requires (quotes, backslashes, control characters). */
export function tomlString(value: string): string {
  let out = '"'
  for (const ch of value) {
    const code = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** A value on one line: objects become inline tables, lists stay on the line. */
export function tomlInline(value: unknown): string {
  if (typeof value === 'string') return tomlString(value)
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('TOML has no spelling for this number')
    return Number.isInteger(value) ? String(value) : String(value).includes('.') ? String(value) : `${value}.0`
  }
  if (Array.isArray(value)) return `[${value.map(tomlInline).join(', ')}]`
  if (value && typeof value === 'object') {
    const members = Object.entries(value).filter(([, v]) => v !== undefined)
    return members.length ? `{ ${members.map(([k, v]) => `${tomlKey(k)} = ${tomlInline(v)}`).join(', ')} }` : '{}'
  }
  throw new Error(`TOML has no spelling for ${value === null ? 'null' : typeof value}`)
}

/** `[path]` followed by one `key = value` line per member: how a new server table is written. */
export function tomlTable(path: string[], value: Record<string, unknown>, eol: string): string {
  const lines = [`[${tomlKeyPath(path)}]`]
  for (const [k, v] of Object.entries(value)) if (v !== undefined) lines.push(`${tomlKey(k)} = ${tomlInline(v)}`)
  return lines.join(eol) + eol
}
