import { KeywardenError } from '../../../shared/errors'
import type { ClientId, Placement } from '../../../shared/schemas'
import type { ServerSpec } from '../document/entries'
import { isProfileId, normaliseProjectPath, type ConfigLocation, type PathContext } from '../paths'
import { claudeCode } from './claude-code'
import { claudeDesktop } from './claude-desktop'
import { codex } from './codex'
import { copilotCli } from './copilot-cli'
import { cursor } from './cursor'
import { geminiCli } from './gemini-cli'
import { opencode } from './opencode'
import type { ClientDescription, ClientModule } from './client'
import { placementLabels } from '../placements'
import { vscode, vscodeProfiles } from './vscode'
import { windsurf } from './windsurf'

export type { ClientDescription, ClientPresence, ClientModule } from './client'
export { vscodeProfiles } from './vscode'

/** Every client Keywarden writes to. */
export const CLIENT_MODULES: ClientModule[] = [claudeCode, cursor, vscode, codex, claudeDesktop, windsurf, geminiCli, copilotCli, opencode]

export function clientModule(client: ClientId): ClientModule {
  return CLIENT_MODULES.find((t) => t.clients.includes(client))!
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
export const clientScopeLabel = (client: ClientId, scope: string): string => `${describeClient(client)?.label ?? client} (${scope})`

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
      afterWrite: d.afterWrite
    }
  })
}

export interface ClientListing {
  client: ClientId
  label: string
  installed: boolean
  evidence: string
  scopes: Array<{ id: string; label: string; project: boolean }>
  placements: Array<{ id: Placement; label: string }>
  afterWrite: string
}
