import type { Binding, ClientId } from '../../shared/schemas'

/** How each MCP client is named to a person. */
export const CLIENT_NAMES: Record<ClientId, string> = {
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  'vscode-insiders': 'VS Code Insiders'
}

/** "Claude Code (user)": where a binding lives, in words. */
export const whereBound = (b: Pick<Binding, 'client' | 'scope'>) => `${CLIENT_NAMES[b.client] ?? b.client} (${b.scope})`
