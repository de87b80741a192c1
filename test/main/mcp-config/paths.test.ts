import { describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createBackupStore } from '../../../src/main/mcp-config/files/backups'
import { applyPlan, planAdd } from '../../../src/main/mcp-config/plan'
import { claudeJsonPath, normaliseProjectPath, sameProject } from '../../../src/main/mcp-config/paths'
import { configLocations, locationFor, clientModule, CLIENT_MODULES, placementsFor } from '../../../src/main/mcp-config/clients'
import { tempFolder } from '../../support/temp-folder'

describe('client config paths', () => {
  it('finds every client on Linux, honouring XDG_CONFIG_HOME and CLAUDE_CONFIG_DIR', () => {
    const files = configLocations({ home: '/home/ada', platform: 'linux', env: {} }).map((l) => `${l.client}:${l.scope}=${l.file}`)
    expect(files).toEqual([
      'claude-code:user=/home/ada/.claude.json',
      'cursor:global=/home/ada/.cursor/mcp.json',
      'vscode:user=/home/ada/.config/Code/User/mcp.json',
      'vscode-insiders:user=/home/ada/.config/Code - Insiders/User/mcp.json',
      'codex:user=/home/ada/.codex/config.toml',
      'claude-desktop:user=/home/ada/.config/Claude/claude_desktop_config.json',
      'windsurf:user=/home/ada/.codeium/windsurf/mcp_config.json',
      'gemini-cli:user=/home/ada/.gemini/settings.json',
      'copilot-cli:user=/home/ada/.copilot/mcp-config.json',
      'opencode:user=/home/ada/.config/opencode/opencode.json'
    ])
    const xdg = locationFor({ home: '/home/ada', platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' } }, 'vscode', 'user')
    expect(xdg?.file).toBe('/xdg/Code/User/mcp.json')
    expect(claudeJsonPath({ home: '/home/ada', platform: 'linux', env: { CLAUDE_CONFIG_DIR: '/cfg/claude' } })).toBe(
      '/cfg/claude/.claude.json'
    )
  })

  it('uses Application Support on macOS', () => {
    expect(locationFor({ home: '/Users/ada', platform: 'darwin', env: {} }, 'vscode', 'user')?.file).toBe(
      '/Users/ada/Library/Application Support/Code/User/mcp.json'
    )
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
    expect(locationFor(ctx, 'claude-code', 'local', '/home/ada/src/app')).toMatchObject({
      file: '/home/ada/.claude.json',
      container: ['projects', '/home/ada/src/app', 'mcpServers']
    })
    expect(locationFor(ctx, 'claude-code', 'project', '/home/ada/src/app')?.file).toBe('/home/ada/src/app/.mcp.json')
    expect(locationFor(ctx, 'vscode', 'workspace', '/home/ada/src/app')).toMatchObject({
      file: '/home/ada/src/app/.vscode/mcp.json',
      container: ['servers']
    })
    expect(locationFor(ctx, 'vscode', 'profile:4f2a')?.file).toBe('/home/ada/.config/Code/User/profiles/4f2a/mcp.json')
  })

  it('keys Claude Code projects by full path without a trailing slash, with forward slashes on Windows', () => {
    expect(normaliseProjectPath('/home/ada/src/app/', 'linux')).toBe('/home/ada/src/app')
    expect(normaliseProjectPath('C:\\Users\\Ada\\src\\app\\', 'win32')).toBe('C:/Users/Ada/src/app')
    expect(locationFor({ home: 'C:\\Users\\Ada', platform: 'win32', env: {} }, 'claude-code', 'local', 'C:\\src\\app')?.container).toEqual([
      'projects',
      'C:/src/app',
      'mcpServers'
    ])
    for (const [folder, platform] of [
      ['src/app/', 'linux'],
      ['app', 'darwin'],
      ['src\\app', 'win32'],
      ['\\src\\app', 'win32']
    ] as const) {
      expect(() => locationFor({ home: '/h', platform, env: {} }, 'claude-code', 'local', folder)).toThrow(/is not a full path/)
    }
    expect(sameProject('C:/Src/App', 'c:\\src\\app\\', 'win32')).toBe(true)
    expect(sameProject('/Users/ada/App', '/Users/ada/app', 'darwin')).toBe(true)
    expect(sameProject('/home/ada/App', '/home/ada/app', 'linux')).toBe(false)
  })

  it('refuses a VS Code profile id that is a path', () => {
    expect(() => locationFor({ home: '/h', platform: 'linux', env: {} }, 'vscode', 'profile:../../evil')).toThrow(
      /not a VS Code profile id/
    )
  })

  it('adds to the project Claude Code already keys with other letter case or slashes (Windows, macOS)', async () => {
    const root = await tempFolder('kw-paths-')
    const file = join(root, '.claude.json')
    await writeFile(file, JSON.stringify({ projects: { 'C:/src/app': { mcpServers: {} } } }, null, 2))
    // The file's place on this machine, with the Windows project key rules.
    const location = {
      ...locationFor({ home: 'C:\\Users\\Ada', platform: 'win32', env: {} }, 'claude-code', 'local', 'c:\\Src\\App')!,
      file
    }
    await mkdir(join(root, 'data'))
    await applyPlan(
      await planAdd(location, { name: 'kw', url: 'https://m', header: { name: 'Authorization' }, placement: 'helper', helperCommand: 'x' }),
      createBackupStore(join(root, 'data'), testKeychain())
    )
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).projects)).toEqual(['C:/src/app'])
    expect(JSON.parse(await readFile(file, 'utf8')).projects['C:/src/app'].mcpServers.kw.headersHelper).toBe('x')
  })
})

describe('client targets', () => {
  const spec = {
    name: 'kw',
    url: 'https://mcp.example/v1',
    header: { name: 'x-api-key' },
    secret: 'lysk-0123456789abcdef',
    helperCommand: 'keywarden mcp-headers b1',
    input: { id: 'kw-key', description: 'Lybic key' }
  }
  it('each client has one module that knows its placements and refuses the ones it cannot read', () => {
    for (const client of ['claude-code', 'cursor', 'vscode', 'vscode-insiders'] as const) {
      const target = clientModule(client)
      expect(target.clients).toContain(client)
      for (const placement of ['helper', 'input', 'inline'] as const) {
        if (placementsFor(client).includes(placement)) expect(target.render({ ...spec, placement })).toMatchObject({ url: spec.url })
        else expect(() => target.render({ ...spec, placement })).toThrow()
      }
    }
    expect(CLIENT_MODULES.flatMap((t) => t.clients).sort()).toEqual([
      'claude-code',
      'claude-desktop',
      'codex',
      'copilot-cli',
      'cursor',
      'gemini-cli',
      'opencode',
      'vscode',
      'vscode-insiders',
      'windsurf'
    ])
    expect(clientModule('cursor').render({ ...spec, placement: 'inline' })).toEqual({
      url: spec.url,
      headers: { 'x-api-key': spec.secret }
    })
  })
})
