import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ClientId } from '../../shared/schemas'
import { claudeJsonPath, vscodeUserDir, type PathContext } from './paths'
import { vscodeProfiles } from './scan'

export interface ClientPresence {
  client: ClientId
  label: string
  /** Whether the client looks installed for this person, MCP file or not. */
  installed: boolean
  /** What was found (or looked for): shown so a person can tell why. */
  evidence: string
}

const exists = (p: string) => stat(p).then(() => true, () => false)

/**
 * Which clients look installed: Claude Code by ~/.claude.json or ~/.claude, Cursor by ~/.cursor,
 * VS Code and Insiders by their User folder. Also the VS Code profiles "Add to…" can target.
 */
export async function detectClients(ctx: PathContext): Promise<{ clients: ClientPresence[]; profiles: Array<{ client: ClientId; id: string }> }> {
  const j = (ctx.platform === 'win32' ? path.win32 : path.posix).join
  const claudeJson = claudeJsonPath(ctx)
  const claudeDir = ctx.env.CLAUDE_CONFIG_DIR || j(ctx.home, '.claude')
  const claudeFound = (await exists(claudeJson)) ? claudeJson : (await exists(claudeDir)) ? claudeDir : undefined
  const cursorDir = j(ctx.home, '.cursor')
  const clients: ClientPresence[] = [
    { client: 'claude-code', label: 'Claude Code', installed: Boolean(claudeFound), evidence: claudeFound ?? claudeJson },
    { client: 'cursor', label: 'Cursor', installed: await exists(cursorDir), evidence: cursorDir }
  ]
  for (const insiders of [false, true]) {
    const dir = vscodeUserDir(ctx, insiders)
    clients.push({ client: insiders ? 'vscode-insiders' : 'vscode', label: insiders ? 'VS Code Insiders' : 'VS Code', installed: await exists(dir), evidence: dir })
  }
  const profiles = (await vscodeProfiles(ctx)).filter((p) => /^[\w-]{1,100}$/.test(p.id)).map((p) => ({ client: (p.insiders ? 'vscode-insiders' : 'vscode') as ClientId, id: p.id }))
  return { clients, profiles }
}
