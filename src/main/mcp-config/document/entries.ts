import type { Placement } from '../../../shared/schemas'
import { readServerEntry } from '../server-entry'

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

export { entryHeaders, entryUrl } from '../server-entry'

/** Reads the servers in a container object, whatever their shape, without trusting it. */
export function readEntries(container: unknown): FoundEntry[] {
  if (!container || typeof container !== 'object' || Array.isArray(container)) return []
  const out: FoundEntry[] = []
  for (const [name, raw] of Object.entries(container as Record<string, unknown>)) {
    const entry = readServerEntry(raw)
    if (!entry) continue
    out.push({
      name,
      url: entry.url,
      placement: entry.placement,
      headerValues: Object.values(entry.headers),
      helperCommand: entry.helperCommand,
      envVar: entry.envVar
    })
  }
  return out
}

/** The bare key inside a header value ("Bearer lk_…" → "lk_…"). */
export { bareKey as keyFromHeader } from '../server-entry'
