import type { Placement } from '../../../shared/schemas'

/** A remote MCP server carrying a key, before it is put in any client's shape. */
export interface ServerSpec {
  name: string
  url: string
  header: { name: string; scheme?: 'Bearer' }
  placement: Placement
  /** inline: the value written into the file. */
  secret?: string
  /** helper: the command Claude Code runs to get the headers. */
  helperCommand?: string
  /** input: VS Code prompts once and keeps the value encrypted. */
  input?: { id: string; description: string }
  /** bridge: the stdio command the client launches — an absolute program path and its arguments. */
  bridge?: { command: string; args: string[] }
  /** env: the environment variable that carries the key (provided by `keywarden run`). */
  envVar?: string
}

export interface FoundEntry {
  name: string
  url?: string
  placement: 'helper' | 'bridge' | 'inline' | 'input' | 'env' | 'other'
  /** Header values as written (may be secrets): for fingerprint matching only, never shown. */
  headerValues: string[]
  helperCommand?: string
}

/** Reads the servers in a container object, whatever their shape, without trusting it. */
export function readEntries(container: unknown): FoundEntry[] {
  if (!container || typeof container !== 'object' || Array.isArray(container)) return []
  const out: FoundEntry[] = []
  for (const [name, raw] of Object.entries(container as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue
    const e = raw as Record<string, unknown>
    const url = typeof e['url'] === 'string' ? e['url'] : typeof e['serverUrl'] === 'string' ? e['serverUrl'] : undefined
    const headers = e['headers'] && typeof e['headers'] === 'object' ? (e['headers'] as Record<string, unknown>) : {}
    const headerValues = Object.values(headers).filter((v): v is string => typeof v === 'string')
    let placement: FoundEntry['placement'] = 'other'
    if (typeof e['headersHelper'] === 'string') placement = 'helper'
    else if (runsBridge(e)) placement = 'bridge'
    else if (headerValues.some((v) => v.includes('${input:'))) placement = 'input'
    else if (headerValues.some((v) => /\$\{(env:)?[A-Za-z_]/.test(v))) placement = 'env'
    else if (headerValues.length) placement = 'inline'
    out.push({ name, url, placement, headerValues, helperCommand: typeof e['headersHelper'] === 'string' ? e['headersHelper'] : undefined })
  }
  return out
}

/** A local server entry that starts Keywarden's keychain bridge (`… mcp-bridge <binding>`). */
function runsBridge(e: Record<string, unknown>): boolean {
  const words = [...(Array.isArray(e['command']) ? e['command'] : [e['command']]), ...(Array.isArray(e['args']) ? e['args'] : [])]
  return words.some((w, i) => w === 'mcp-bridge' && typeof words[i + 1] === 'string')
}

/** The bare key inside a header value ("Bearer lk_…" → "lk_…"). */
export function keyFromHeader(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim()
}
