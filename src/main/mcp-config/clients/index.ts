import { KeywardenError } from '../../../shared/errors'
import type { ClientId, Placement } from '../../../shared/schemas'
import type { ServerSpec } from '../document/entries'
import { isProfileId, normaliseProjectPath, type ConfigLocation, type PathContext } from '../paths'
import { claudeCode } from './claude-code'
import { cursor } from './cursor'
import type { ClientPresence, ClientModule } from './client'
import { vscode, vscodeProfiles } from './vscode'

export type { ClientPresence, ClientModule } from './client'
export { vscodeProfiles } from './vscode'

/** Every client Keywarden writes to. */
export const CLIENT_MODULES: ClientModule[] = [claudeCode, cursor, vscode]

export function clientModule(client: ClientId): ClientModule {
  return CLIENT_MODULES.find((t) => t.clients.includes(client))!
}

/** The entry for a server in a client's own shape (see MCP-CLIENTS.md). */
export const renderEntry = (client: ClientId, spec: ServerSpec): Record<string, unknown> => clientModule(client).render(spec)

/** Which placements a client supports, best first. */
export const placementsFor = (client: ClientId): Placement[] => clientModule(client).placements

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

/** Which clients look installed, and the VS Code profiles "Add to…" can target. */
export async function detectClients(
  ctx: PathContext
): Promise<{ clients: ClientPresence[]; profiles: Array<{ client: ClientId; id: string }> }> {
  const clients = (await Promise.all(CLIENT_MODULES.map((t) => t.detect(ctx)))).flat()
  const profiles = (await vscodeProfiles(ctx))
    .filter((p) => isProfileId(p.id))
    .map((p) => ({ client: (p.insiders ? 'vscode-insiders' : 'vscode') as ClientId, id: p.id }))
  return { clients, profiles }
}
