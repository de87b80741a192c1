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
  helperCommand?: string
  placement: 'helper' | 'bridge' | 'inline' | 'input' | 'env' | 'other'
}

/** The entry named `name` in a servers object, only if it is the object's own property. */
export function ownEntry(servers: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(servers, name) ? servers[name] : undefined
}

/** Reads an entry without trusting its shape; undefined when it is not an object at all. */
export function readServerEntry(raw: unknown): ServerEntry | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const e = raw as Record<string, unknown>
  const url = typeof e['url'] === 'string' ? e['url'] : typeof e['serverUrl'] === 'string' ? e['serverUrl'] : undefined
  const rawHeaders = e['headers'] && typeof e['headers'] === 'object' ? (e['headers'] as Record<string, unknown>) : {}
  const headers: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of Object.entries(rawHeaders)) if (typeof value === 'string') headers[name] = value
  const values = Object.values(headers)
  const helperCommand = typeof e['headersHelper'] === 'string' ? e['headersHelper'] : undefined
  let placement: ServerEntry['placement'] = 'other'
  if (helperCommand) placement = 'helper'
  else if (runsBridge(e)) placement = 'bridge'
  else if (values.some((v) => v.includes('${input:'))) placement = 'input'
  else if (values.some((v) => /\$\{(env:)?[A-Za-z_]/.test(v))) placement = 'env'
  else if (values.length) placement = 'inline'
  return { url, headers, helperCommand, placement }
}

/** A local server entry that starts Keywarden's keychain bridge (`… mcp-bridge <binding>`). */
function runsBridge(e: Record<string, unknown>): boolean {
  const words = [...(Array.isArray(e['command']) ? e['command'] : [e['command']]), ...(Array.isArray(e['args']) ? e['args'] : [])]
  return words.some((w, i) => w === 'mcp-bridge' && typeof words[i + 1] === 'string')
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
