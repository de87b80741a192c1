import path from 'node:path'
import type { ClientId } from '../../shared/schemas'

export type Platform = 'linux' | 'darwin' | 'win32'

/** One place a client keeps MCP servers: a file, and the JSON path of the servers object in it. */
export interface ConfigLocation {
  client: ClientId
  /** user, local, project, global, workspace, or profile:<id>. */
  scope: string
  label: string
  file: string
  container: (string | number)[]
  format: 'json' | 'jsonc'
  projectPath?: string
}

export interface PathContext {
  home: string
  platform: Platform
  env: { APPDATA?: string; CLAUDE_CONFIG_DIR?: string; XDG_CONFIG_HOME?: string }
}

const p = (platform: Platform) => (platform === 'win32' ? path.win32 : path.posix)

/** Claude Code's own file: `~/.claude.json`, or inside CLAUDE_CONFIG_DIR when that is set. */
export function claudeJsonPath(ctx: PathContext): string {
  return p(ctx.platform).join(ctx.env.CLAUDE_CONFIG_DIR || ctx.home, '.claude.json')
}

/** VS Code's per-user folder (`…/Code/User`) for stable or Insiders on each platform. */
export function vscodeUserDir(ctx: PathContext, insiders = false): string {
  const product = insiders ? 'Code - Insiders' : 'Code'
  const j = p(ctx.platform).join
  if (ctx.platform === 'darwin') return j(ctx.home, 'Library', 'Application Support', product, 'User')
  if (ctx.platform === 'win32') return j(ctx.env.APPDATA || j(ctx.home, 'AppData', 'Roaming'), product, 'User')
  return j(ctx.env.XDG_CONFIG_HOME || j(ctx.home, '.config'), product, 'User')
}

/** Every user-level location, plus the project-level ones for each project folder given. */
export function configLocations(ctx: PathContext, projects: string[] = [], vscodeProfiles: { insiders: boolean; id: string }[] = []): ConfigLocation[] {
  const j = p(ctx.platform).join
  const claude = claudeJsonPath(ctx)
  const out: ConfigLocation[] = [
    { client: 'claude-code', scope: 'user', label: 'Claude Code (user)', file: claude, container: ['mcpServers'], format: 'json' },
    { client: 'cursor', scope: 'global', label: 'Cursor (global)', file: j(ctx.home, '.cursor', 'mcp.json'), container: ['mcpServers'], format: 'jsonc' },
    { client: 'vscode', scope: 'user', label: 'VS Code (user)', file: j(vscodeUserDir(ctx), 'mcp.json'), container: ['servers'], format: 'jsonc' },
    { client: 'vscode-insiders', scope: 'user', label: 'VS Code Insiders (user)', file: j(vscodeUserDir(ctx, true), 'mcp.json'), container: ['servers'], format: 'jsonc' }
  ]
  for (const profile of vscodeProfiles) {
    out.push({
      client: profile.insiders ? 'vscode-insiders' : 'vscode',
      scope: `profile:${profile.id}`,
      label: `VS Code${profile.insiders ? ' Insiders' : ''} (profile ${profile.id})`,
      file: j(vscodeUserDir(ctx, profile.insiders), 'profiles', profile.id, 'mcp.json'),
      container: ['servers'],
      format: 'jsonc'
    })
  }
  for (const project of projects) {
    const name = p(ctx.platform).basename(project)
    out.push(
      { client: 'claude-code', scope: 'local', label: `Claude Code (local, ${name})`, file: claude, container: ['projects', project, 'mcpServers'], format: 'json', projectPath: project },
      { client: 'claude-code', scope: 'project', label: `Claude Code (project ${name})`, file: j(project, '.mcp.json'), container: ['mcpServers'], format: 'json', projectPath: project },
      { client: 'cursor', scope: 'project', label: `Cursor (project ${name})`, file: j(project, '.cursor', 'mcp.json'), container: ['mcpServers'], format: 'jsonc', projectPath: project },
      { client: 'vscode', scope: 'workspace', label: `VS Code (workspace ${name})`, file: j(project, '.vscode', 'mcp.json'), container: ['servers'], format: 'jsonc', projectPath: project }
    )
  }
  return out
}

/** The location for a client and scope, as a person picks them in "Add to…". */
export function locationFor(ctx: PathContext, client: ClientId, scope: string, projectPath?: string): ConfigLocation | undefined {
  const profiles = scope.startsWith('profile:') ? [{ insiders: client === 'vscode-insiders', id: scope.slice('profile:'.length) }] : []
  return configLocations(ctx, projectPath ? [projectPath] : [], profiles).find((l) => l.client === client && l.scope === scope)
}
