import { describe, expect, it } from 'vitest'
import { claudeJsonPath, configLocations, locationFor } from '../../../src/main/tools/paths'

describe('client config paths', () => {
  it('finds every client on Linux, honouring XDG_CONFIG_HOME and CLAUDE_CONFIG_DIR', () => {
    const files = configLocations({ home: '/home/ada', platform: 'linux', env: {} }).map((l) => `${l.client}:${l.scope}=${l.file}`)
    expect(files).toEqual([
      'claude-code:user=/home/ada/.claude.json',
      'cursor:global=/home/ada/.cursor/mcp.json',
      'vscode:user=/home/ada/.config/Code/User/mcp.json',
      'vscode-insiders:user=/home/ada/.config/Code - Insiders/User/mcp.json'
    ])
    const xdg = locationFor({ home: '/home/ada', platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' } }, 'vscode', 'user')
    expect(xdg?.file).toBe('/xdg/Code/User/mcp.json')
    expect(claudeJsonPath({ home: '/home/ada', platform: 'linux', env: { CLAUDE_CONFIG_DIR: '/cfg/claude' } })).toBe('/cfg/claude/.claude.json')
  })

  it('uses Application Support on macOS', () => {
    expect(locationFor({ home: '/Users/ada', platform: 'darwin', env: {} }, 'vscode', 'user')?.file).toBe('/Users/ada/Library/Application Support/Code/User/mcp.json')
    expect(locationFor({ home: '/Users/ada', platform: 'darwin', env: {} }, 'cursor', 'global')?.file).toBe('/Users/ada/.cursor/mcp.json')
  })

  it('uses %APPDATA% and backslashes on Windows', () => {
    const ctx = { home: 'C:\\Users\\Ada', platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming' } }
    expect(locationFor(ctx, 'vscode-insiders', 'user')?.file).toBe('C:\\Users\\Ada\\AppData\\Roaming\\Code - Insiders\\User\\mcp.json')
    expect(locationFor(ctx, 'claude-code', 'user')?.file).toBe('C:\\Users\\Ada\\.claude.json')
    expect(locationFor(ctx, 'cursor', 'project', 'C:\\src\\app')?.file).toBe('C:\\src\\app\\.cursor\\mcp.json')
  })

  it('puts local scope inside projects in ~/.claude.json and named profiles under profiles/', () => {
    const ctx = { home: '/home/ada', platform: 'linux' as const, env: {} }
    expect(locationFor(ctx, 'claude-code', 'local', '/home/ada/src/app')).toMatchObject({ file: '/home/ada/.claude.json', container: ['projects', '/home/ada/src/app', 'mcpServers'] })
    expect(locationFor(ctx, 'claude-code', 'project', '/home/ada/src/app')?.file).toBe('/home/ada/src/app/.mcp.json')
    expect(locationFor(ctx, 'vscode', 'workspace', '/home/ada/src/app')).toMatchObject({ file: '/home/ada/src/app/.vscode/mcp.json', container: ['servers'] })
    expect(locationFor(ctx, 'vscode', 'profile:4f2a')?.file).toBe('/home/ada/.config/Code/User/profiles/4f2a/mcp.json')
  })
})
