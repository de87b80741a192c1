import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ClientId, Placement } from '../../../shared/schemas'
import type { ServerSpec } from '../document/entries'
import type { ConfigLocation, PathContext, Platform } from '../paths'

/** Whether a client looks installed for this person, MCP file or not, and why. */
export interface ClientPresence {
  client: ClientId
  label: string
  installed: boolean
  /** What was found (or looked for): shown so a person can tell why. */
  evidence: string
}

/** Where Keywarden may add servers beyond the user-level files. */
export interface LocationScope {
  /** Project folders, already normalised (full paths). */
  projects: string[]
  /** VS Code profiles by id. */
  profiles: Array<{ insiders: boolean; id: string }>
}

/**
 * One MCP client as Keywarden writes to it (see MCP-CLIENTS.md): where it keeps servers on each
 * platform, how it recognises itself on disk, which ways of placing a key it supports and the
 * entry shape it reads. Reading entries, planning, applying and undoing a change are the same for
 * every client (tools/plan.ts) once these are known.
 */
export interface ClientModule {
  clients: ClientId[]
  detect(ctx: PathContext): Promise<ClientPresence[]>
  locations(ctx: PathContext, scope: LocationScope): ConfigLocation[]
  /** Supported placements, best first. */
  placements: Placement[]
  /** The entry for a server in this client's own shape. */
  render(spec: ServerSpec): Record<string, unknown>
}

export const pathsOf = (platform: Platform) => (platform === 'win32' ? path.win32 : path.posix)
export const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false
  )
export const headerValue = (spec: ServerSpec, value: string) => (spec.header.scheme === 'Bearer' ? `Bearer ${value}` : value)
export const inlineHeaders = (spec: ServerSpec) => ({ [spec.header.name]: headerValue(spec, spec.secret ?? '') })
