import path from 'node:path'
import { KeywardenError } from '../../shared/errors'
import type { ClientId } from '../../shared/schemas'
import { quoted } from '../../shared/input-errors'

export type Platform = 'linux' | 'darwin' | 'win32'

/** One place a client keeps MCP servers: a file, and the JSON path of the servers object in it. */
export interface ConfigLocation {
  client: ClientId
  /** user, local, project, global, workspace, or profile:<id>. */
  scope: string
  label: string
  file: string
  container: (string | number)[]
  projectPath?: string
  /**
   * Claude Code local scope on Windows and macOS: the folder may be keyed in `projects` with other
   * letter case or slashes; an existing key that matches this way is used instead of a new one.
   */
  looseProjectKey?: boolean
}

export interface PathContext {
  home: string
  platform: Platform
  env: {
    APPDATA?: string
    LOCALAPPDATA?: string
    CLAUDE_CONFIG_DIR?: string
    XDG_CONFIG_HOME?: string
    CODEX_HOME?: string
    GEMINI_CLI_HOME?: string
    COPILOT_HOME?: string
  }
  /**
   * Whether a file or folder exists, for clients that read one of several files (opencode.json or
   * .jsonc, a Store build's folder): the file the client reads is the one Keywarden writes.
   */
  exists?: (path: string) => boolean
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

/**
 * A project folder as Claude Code keys it in `projects`: absolute, without a trailing slash, and
 * on Windows with forward slashes (`C:/src/app`). Relative paths are refused: they would name a
 * different folder for Keywarden than for the client.
 */
export function normaliseProjectPath(folder: string, platform: Platform): string {
  const trimmed = folder.trim()
  const absolute =
    platform === 'win32' ? path.win32.isAbsolute(trimmed) && /^([A-Za-z]:[\\/]|[\\/]{2})/.test(trimmed) : path.posix.isAbsolute(trimmed)
  if (!absolute) {
    throw new KeywardenError(
      'invalid-input',
      `${quoted(folder)} is not a full path to a project folder. Give it from the root, e.g. ${platform === 'win32' ? 'C:\\src\\app' : '/home/you/src/app'}.`
    )
  }
  if (platform === 'win32') {
    const forward = path.win32.normalize(trimmed).replace(/\\/g, '/')
    return forward.length > 3 ? forward.replace(/\/+$/, '') : forward
  }
  const normal = path.posix.normalize(trimmed)
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal
}

/** Whether two project folders are the same for a platform (letter case and slashes on Windows and macOS). */
export function sameProject(a: string | undefined, b: string | undefined, platform: Platform): boolean {
  if (a === undefined || b === undefined) return a === b
  return projectKey(a, platform) === projectKey(b, platform)
}

export function projectKey(folder: string, platform: Platform): string {
  const key = folder.replace(/\\/g, '/').replace(/(.)\/+$/, '$1')
  return platform === 'linux' ? key : key.toLowerCase()
}

/** VS Code profile folders are named by an id: letters, digits, `-` and `_` only. */
export const isProfileId = (id: string) => /^[\w-]{1,100}$/.test(id)
