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
  /** env placements: the variable the client reads the key from. */
  envVar?: string
}

/**
 * Where an entry keeps its static headers: `headers` in the JSON clients, `http_headers` in
 * Codex's config.toml. Only string values count.
 */
export function entryHeaders(entry: unknown): { field: 'headers' | 'http_headers'; values: Record<string, string> } {
  const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>
  const field = e['http_headers'] && typeof e['http_headers'] === 'object' && !e['headers'] ? 'http_headers' : 'headers'
  const raw = e[field] && typeof e[field] === 'object' ? (e[field] as Record<string, unknown>) : {}
  return { field, values: Object.fromEntries(Object.entries(raw).filter((x): x is [string, string] => typeof x[1] === 'string')) }
}

/** The remote URL of an entry, however the client spells it (`serverUrl` in Windsurf, `httpUrl` in older Gemini CLI). */
export function entryUrl(entry: unknown): string | undefined {
  const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>
  return [e['url'], e['serverUrl'], e['httpUrl']].find((u): u is string => typeof u === 'string')
}

// `${VAR}`, `${env:VAR}` (Cursor, Windsurf, Gemini CLI, Copilot CLI) and `{env:VAR}` (opencode).
const ENV_REFERENCE = /\$\{(?:env:)?([A-Za-z_]\w*)(?::-[^}]*)?\}|\{env:([A-Za-z_]\w*)\}/

/** Reads the servers in a container object, whatever their shape, without trusting it. */
export function readEntries(container: unknown): FoundEntry[] {
  if (!container || typeof container !== 'object' || Array.isArray(container)) return []
  const out: FoundEntry[] = []
  for (const [name, raw] of Object.entries(container as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue
    const e = raw as Record<string, unknown>
    const headerValues = Object.values(entryHeaders(e).values)
    const helper = [e['headersHelper'], e['http_headers_helper']].find((h): h is string => typeof h === 'string')
    const command = [e['command'], e['args']].flat().filter((a): a is string => typeof a === 'string')
    const envHeaders = e['env_http_headers'] && typeof e['env_http_headers'] === 'object' ? Object.values(e['env_http_headers']) : []
    const referenced = headerValues.map((v) => ENV_REFERENCE.exec(v)?.slice(1).find(Boolean)).find(Boolean)
    // Codex names the variable in its own fields; its http_headers beside them are literal values.
    const named =
      (typeof e['bearer_token_env_var'] === 'string' ? e['bearer_token_env_var'] : undefined) ??
      envHeaders.find((v): v is string => typeof v === 'string')
    let placement: FoundEntry['placement'] = 'other'
    if (helper) placement = 'helper'
    else if (command.includes('mcp-bridge')) placement = 'bridge'
    else if (headerValues.some((v) => v.includes('${input:'))) placement = 'input'
    else if (referenced) placement = 'env'
    else if (headerValues.length) placement = 'inline'
    else if (named) placement = 'env'
    const envVar = placement === 'env' ? (referenced ?? named) : undefined
    out.push({ name, url: entryUrl(e), placement, headerValues, helperCommand: helper, envVar })
  }
  return out
}

/** The bare key inside a header value ("Bearer lk_…" → "lk_…"). */
export function keyFromHeader(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim()
}
