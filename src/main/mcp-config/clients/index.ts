/// <reference types="vite/client" />
import { existsSync } from 'node:fs'
import { KeywardenError } from '../../../shared/errors'
import { quoted } from '../../../shared/input-errors'
import type { ClientId, ClientListing, Placement } from '../../../shared/schemas'
import type { ServerSpec } from '../document/entries'
import { isProfileId, normaliseProjectPath, type ConfigLocation, type PathContext } from '../paths'
import type { ClientDescription, ClientModule } from './client'
import { placementLabels } from '../placements'
import { vscodeProfiles } from './vscode'

export type { ClientDescription, ClientPresence, ClientModule } from './client'
export type { ClientListing }
export { vscodeProfiles } from './vscode'

const isClientModule = (value: unknown): value is ClientModule =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ClientModule).clients) &&
  typeof (value as ClientModule).describe === 'function'

/**
 * Every client Keywarden writes to: each module in this folder that exports a `ClientModule`, in
 * the order of their ranks. Adding a client is adding its file here; nothing else names it.
 */
export const CLIENT_MODULES: ClientModule[] = Object.values(
  import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./client.ts'], { eager: true })
)
  .flatMap((exports) => Object.values(exports).filter(isClientModule))
  .sort((a, b) => a.rank - b.rank)

/** Every client id the modules declare. */
export const clientIds = (): ClientId[] => CLIENT_MODULES.flatMap((m) => m.clients)

/** The module that writes this client; an id no module declares is refused, with the ones that exist. */
export function clientModule(client: ClientId): ClientModule {
  const found = CLIENT_MODULES.find((t) => t.clients.includes(client))
  if (!found) throw new KeywardenError('invalid-input', `Unknown client ${quoted(client)}; use ${clientIds().join(', ')}.`)
  return found
}

/** The entry for a server in a client's own shape (see MCP-CLIENTS.md). */
export const renderEntry = (client: ClientId, spec: ServerSpec): Record<string, unknown> => clientModule(client).render(spec)

/** How a client is named and what a person can choose for it. */
export const describeClient = (client: ClientId): ClientDescription =>
  clientModule(client)
    .describe()
    .find((d) => d.client === client)!

/** Which placements a client supports, best first. */
export const placementsFor = (client: ClientId): Placement[] => describeClient(client).placements

/** "Claude Code (user)": a client and scope in words. */
export const clientScopeLabel = (client: ClientId, scope: string): string =>
  `${CLIENT_MODULES.find((t) => t.clients.includes(client)) ? describeClient(client).label : client} (${scope})`

/** Every user-level location, plus the project-level ones for each project folder given. */
export function configLocations(
  ctx: PathContext,
  projects: string[] = [],
  profiles: { insiders: boolean; id: string }[] = []
): ConfigLocation[] {
  const folders = projects.flatMap((project) => {
    try {
      return [normaliseProjectPath(project, ctx.platform)]
    } catch {
      return []
    }
  })
  return CLIENT_MODULES.flatMap((t) => t.locations(ctx, { projects: folders, profiles }))
}

/**
 * The location for a client and scope, as a person picks them in "Add to…". A project folder that
 * is not a full path, or a profile id that is not one, is refused with a message saying so.
 */
export function locationFor(ctx: PathContext, client: ClientId, scope: string, projectPath?: string): ConfigLocation | undefined {
  if (scope.startsWith('profile:') && !isProfileId(scope.slice('profile:'.length))) {
    throw new KeywardenError(
      'invalid-input',
      `"${scope.slice('profile:'.length)}" is not a VS Code profile id (letters, digits, - and _ only).`
    )
  }
  const projects = projectPath ? [normaliseProjectPath(projectPath, ctx.platform)] : []
  const profiles = scope.startsWith('profile:') ? [{ insiders: client === 'vscode-insiders', id: scope.slice('profile:'.length) }] : []
  return clientModule(client)
    .locations(ctx, { projects, profiles })
    .find((l) => l.client === client && l.scope === scope)
}

/**
 * Where a binding's entry is: its client and scope's location, in the file recorded with it. That
 * file, not the one this process's environment (HOME, XDG_CONFIG_HOME, CLAUDE_CONFIG_DIR…) would
 * name now, is the one the entry was written to.
 */
export function bindingLocation(
  ctx: PathContext,
  binding: { client: ClientId; scope: string; projectPath?: string; file: string }
): ConfigLocation | undefined {
  const l = locationFor(ctx, binding.client, binding.scope, binding.projectPath)
  return l && { ...l, file: binding.file }
}

/**
 * The other clients that read the servers at a location once it is written: two clients may keep
 * servers in one file (a project's `.mcp.json` is Claude Code's project file and Copilot CLI's
 * workspace file). `moved` lists readers that would switch to this file from another one once it
 * exists (Copilot CLI reads `.github/mcp.json` only while `.mcp.json` is absent).
 */
export function otherReaders(
  ctx: PathContext,
  loc: ConfigLocation
): { readers: ConfigLocation[]; moved: Array<{ reader: ConfigLocation; from: string }> } {
  const has = ctx.exists ?? existsSync
  const projects = loc.projectPath ? [loc.projectPath] : []
  const sameServers = (l: ConfigLocation) =>
    l.client !== loc.client && l.file === loc.file && l.container.join('\u0000') === loc.container.join('\u0000')
  const before = configLocations(ctx, projects)
  const after = configLocations({ ...ctx, exists: (p) => p === loc.file || has(p) }, projects)
  const readers = after.filter(sameServers)
  const moved = readers.flatMap((reader) => {
    const was = before.find((l) => l.client === reader.client && l.scope === reader.scope)
    return was && was.file !== reader.file ? [{ reader, from: was.file }] : []
  })
  return { readers, moved }
}

/**
 * Every client Keywarden writes to, as the window and the command line show it: name, scopes (with
 * the VS Code profiles found on disk), placements in words, what to do after a write, and whether
 * it looks installed here.
 */
export async function listClients(ctx: PathContext): Promise<ClientListing[]> {
  const presence = new Map((await Promise.all(CLIENT_MODULES.map((t) => t.detect(ctx)))).flat().map((p) => [p.client, p]))
  const profiles = (await vscodeProfiles(ctx)).filter((p) => isProfileId(p.id))
  return CLIENT_MODULES.flatMap((m) => m.describe()).map((d) => {
    const found = presence.get(d.client)
    const profileScopes = profiles
      .filter((p) => (p.insiders ? 'vscode-insiders' : 'vscode') === d.client)
      .map((p) => ({ id: `profile:${p.id}`, label: `Profile ${p.id}`, project: false }))
    return {
      client: d.client,
      label: d.label,
      installed: found?.installed ?? false,
      evidence: found?.evidence ?? '',
      scopes: [...d.scopes.map((s) => ({ ...s, project: Boolean(s.project) })), ...profileScopes],
      placements: d.placements.map((id) => ({ id, label: d.placementNotes?.[id] ?? placementLabels[id] })),
      afterWrite: d.afterWrite,
      ...(d.command ? { command: d.command } : {})
    }
  })
}
