import type { HeaderStyle } from '../../shared/provider-catalog'

/**
 * Reading one MCP server entry, whatever client wrote it: its URL, its headers, the key it holds.
 * Every part of Keywarden that looks inside an entry (scanning, adopting, importing, rotating,
 * verifying) reads it here, so "Bearer " is stripped in one place and a hostile entry (a header
 * that is not a string, a server named "__proto__") is read as data, never as code.
 */
export interface ServerEntry {
  url?: string
  /** String-valued headers as written (may hold a key: never shown). */
  headers: Record<string, string>
  /** Where those headers sit: `headers` in the JSON clients, `http_headers` in Codex's config.toml. */
  headerField: 'headers' | 'http_headers'
  helperCommand?: string
  placement: 'helper' | 'bridge' | 'inline' | 'input' | 'env' | 'other'
  /** env placements: the variable the client reads the key from. */
  envVar?: string
}

/** The entry named `name` in a servers object, only if it is the object's own property. */
export function ownEntry(servers: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(servers, name) ? servers[name] : undefined
}

/**
 * Where an entry keeps its static headers: `headers` in the JSON clients, `http_headers` in
 * Codex's config.toml. Only string values count; the record has no prototype, so a header named
 * `__proto__` is read as data.
 */
export function entryHeaders(entry: unknown): { field: 'headers' | 'http_headers'; values: Record<string, string> } {
  const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>
  const field = e['http_headers'] && typeof e['http_headers'] === 'object' && !e['headers'] ? 'http_headers' : 'headers'
  const raw = e[field] && typeof e[field] === 'object' ? (e[field] as Record<string, unknown>) : {}
  const values: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') values[name] = value
  return { field, values }
}

/** The remote URL of an entry, however the client spells it (`serverUrl` in Windsurf, `httpUrl` in older Gemini CLI). */
export function entryUrl(entry: unknown): string | undefined {
  const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>
  return [e['url'], e['serverUrl'], e['httpUrl']].find((u): u is string => typeof u === 'string')
}

// `${VAR}`, `${env:VAR}` (Cursor, Windsurf, Gemini CLI, Copilot CLI) and `{env:VAR}` (opencode).
const ENV_REFERENCE = /\$\{(?:env:)?([A-Za-z_]\w*)(?::-[^}]*)?\}|\{env:([A-Za-z_]\w*)\}/

/** Reads an entry without trusting its shape; undefined when it is not an object at all. */
export function readServerEntry(raw: unknown): ServerEntry | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const e = raw as Record<string, unknown>
  const { field: headerField, values: headers } = entryHeaders(e)
  const values = Object.values(headers)
  const helperCommand = [e['headersHelper'], e['http_headers_helper']].find((h): h is string => typeof h === 'string')
  const envHeaders = e['env_http_headers'] && typeof e['env_http_headers'] === 'object' ? Object.values(e['env_http_headers']) : []
  const referenced = values.map((v) => ENV_REFERENCE.exec(v)?.slice(1).find(Boolean)).find(Boolean)
  // Codex names the variable in its own fields; its http_headers beside them are literal values.
  const named =
    (typeof e['bearer_token_env_var'] === 'string' ? e['bearer_token_env_var'] : undefined) ??
    envHeaders.find((v): v is string => typeof v === 'string')
  let placement: ServerEntry['placement'] = 'other'
  if (helperCommand) placement = 'helper'
  else if (runsBridge(e)) placement = 'bridge'
  else if (values.some((v) => v.includes('${input:'))) placement = 'input'
  else if (referenced) placement = 'env'
  else if (values.length) placement = 'inline'
  else if (named) placement = 'env'
  const envVar = placement === 'env' ? (referenced ?? named) : undefined
  return { url: entryUrl(e), headers, headerField, helperCommand, placement, envVar }
}

/** A local server entry that starts Keywarden's keychain bridge (`… mcp-bridge <binding>`). */
function runsBridge(e: Record<string, unknown>): boolean {
  const words = commandWords(e)
  return words.some((w, i) => w === 'mcp-bridge' && typeof words[i + 1] === 'string')
}

/** A local entry's program and arguments as written: `command` + `args`, or opencode's `command` list. */
function commandWords(e: Record<string, unknown>): unknown[] {
  return [...(Array.isArray(e['command']) ? e['command'] : [e['command']]), ...(Array.isArray(e['args']) ? e['args'] : [])]
}

/** The command a client starts for a local entry, exactly as written; undefined when it has none. */
export function entryCommand(raw: unknown): { command: string; args: string[] } | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const words = commandWords(raw as Record<string, unknown>)
  if (!words.length || !words.every((w): w is string => typeof w === 'string') || !words[0]) return undefined
  return { command: words[0], args: words.slice(1) }
}

/** The bare key inside a header value ("Bearer lk_…" → "lk_…"), or a pasted value with its scheme. */
export function bareKey(value: string): string {
  return value
    .trim()
    .replace(/^Bearer\s+/i, '')
    .trim()
}

/** The header value an MCP client must send for a key. */
export function headerValue(style: HeaderStyle, key: string): string {
  return style.scheme === 'Bearer' ? `Bearer ${key}` : key
}

/** The header of that name (any letter case), as written. */
export function headerNamed(entry: ServerEntry, name: string): { name: string; value: string } | undefined {
  const found = Object.keys(entry.headers).find((h) => h.toLowerCase() === name.toLowerCase())
  return found === undefined ? undefined : { name: found, value: entry.headers[found]! }
}

/** The key an entry holds in the named header, if any. */
export function heldKey(entry: ServerEntry, headerName: string): string | undefined {
  const header = headerNamed(entry, headerName)
  return header ? bareKey(header.value) : undefined
}

/** Every header value long enough to be a key, bare. */
export function keysIn(entry: ServerEntry): string[] {
  return Object.values(entry.headers)
    .map(bareKey)
    .filter((v) => v.length >= 8)
}
