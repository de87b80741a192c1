import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ClientId, Placement } from '../../../shared/schemas'
import type { ServerSpec } from '../document/entries'
import { headerValue } from '../server-entry'
import type { ConfigLocation, PathContext, Platform } from '../paths'

/** Whether a client looks installed for this person, MCP file or not, and why. */
export interface ClientPresence {
  client: ClientId
  label: string
  installed: boolean
  /** What was found (or looked for): shown so a person can tell why. */
  evidence: string
}

/** A scope a person can pick in "Add to…". */
export interface ClientScope {
  id: string
  label: string
  /** The scope's file lives in (or is keyed by) a project folder the person names. */
  project?: boolean
}

/**
 * What the window and the command line show of a client: its name, the scopes and placements a
 * person can pick (best placement first) and what to do once the file is written.
 */
export interface ClientDescription {
  client: ClientId
  label: string
  scopes: ClientScope[]
  placements: Placement[]
  /** One line: what the person must do after the write for the client to see it (reload, restart…). */
  afterWrite: string
  /** The program a person starts from a terminal (`codex`): what `keywarden run -- <command>` recognises. */
  command?: string
  /** Placement explanations specific to this client, where the general wording is not enough. */
  placementNotes?: Partial<Record<Placement, string>>
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
 * every client (mcp-config/plan.ts) once these are known.
 */
export interface ClientModule {
  clients: ClientId[]
  /** Where the client stands in lists (lower first): the most used clients lead. */
  rank: number
  /** One description per client id the module serves. */
  describe(): ClientDescription[]
  detect(ctx: PathContext): Promise<ClientPresence[]>
  locations(ctx: PathContext, scope: LocationScope): ConfigLocation[]
  /** The entry for a server in this client's own shape. */
  render(spec: ServerSpec): Record<string, unknown>
}

export const pathsOf = (platform: Platform) => (platform === 'win32' ? path.win32 : path.posix)
export const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false
  )
export const inlineHeaders = (spec: ServerSpec) => ({ [spec.header.name]: headerValue(spec.header, spec.secret ?? '') })
/**
 * Whether a client is installed, told by its own folder: it counts only when the folder holds
 * something besides the MCP files Keywarden itself may have written there (writing an entry for a
 * client creates its folder, which must not make it look installed).
 */
export async function folderPresence(client: ClientId, label: string, dir: string, mcpFiles: string[]): Promise<ClientPresence[]> {
  const names = await readdir(dir).catch(() => undefined)
  const installed = names?.some((name) => !mcpFiles.includes(name)) ?? false
  const evidence = names && !installed ? `${dir} (only its MCP file, which Keywarden can write)` : dir
  return [{ client, label, installed, evidence }]
}

/** The keychain bridge's stdio command, as a client launches it (absolute program, its arguments). */
export const bridgeCommandOf = (spec: ServerSpec) => {
  if (!spec.bridge) throw new Error('A bridge entry needs the command that starts the bridge.')
  return { command: spec.bridge.command, args: [...spec.bridge.args] }
}
/** A command as one list, program first (opencode's `command`). */
export const commandLine = (c: { command: string; args: string[] }) => [c.command, ...c.args]

/**
 * A client's entry shape for each placement it supports, best first. The placements a client
 * offers are exactly the ones it can render, so the two cannot drift apart.
 */
export function entryShapes(
  label: string,
  shapes: Partial<Record<Placement, (spec: ServerSpec) => Record<string, unknown>>>,
  /** Why any other placement is refused, when the list alone does not say it. */
  refusal?: string
) {
  const placements = Object.keys(shapes) as Placement[]
  return {
    placements,
    render(spec: ServerSpec): Record<string, unknown> {
      const shape = shapes[spec.placement]
      if (!shape) throw new Error(refusal ?? `${label} keeps keys only as ${inWords(placements)}, not "${spec.placement}".`)
      return shape(spec)
    }
  }
}

/** "bridge, env or inline": a list as a sentence says it. */
export const inWords = (items: string[], last = 'or') =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`
