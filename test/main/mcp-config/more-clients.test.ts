import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { clientModule, describeClient, listClients, locationFor } from '../../../src/main/mcp-config/clients'
import type { PathContext } from '../../../src/main/mcp-config/paths'
import type { ClientId } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

const linux: PathContext = { home: '/home/ada', platform: 'linux', env: {} }
const mac: PathContext = { home: '/Users/ada', platform: 'darwin', env: {} }
const win: PathContext = {
  home: 'C:\\Users\\Ada',
  platform: 'win32',
  env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Ada\\AppData\\Local' }
}
const file = (ctx: PathContext, client: ClientId, scope: string, project?: string) => locationFor(ctx, client, scope, project)?.file

const spec = (
  placement: ServerSpec['placement'],
  header: ServerSpec['header'] = { name: 'Authorization', scheme: 'Bearer' }
): ServerSpec => ({
  name: 'kw',
  url: 'https://mcp.example/v1',
  header,
  placement,
  secret: 'sbx_0123456789abcdef',
  helperCommand: '/opt/keywarden mcp-headers b1',
  bridge: { command: '/opt/keywarden', args: ['mcp-bridge', 'b1'] },
  envVar: 'KEYWARDEN_KW'
})

describe('Codex', () => {
  it('keeps servers in config.toml under ~/.codex or $CODEX_HOME, and in a project .codex folder', () => {
    expect(file(linux, 'codex', 'user')).toBe('/home/ada/.codex/config.toml')
    expect(file(mac, 'codex', 'user')).toBe('/Users/ada/.codex/config.toml')
    expect(file(win, 'codex', 'user')).toBe('C:\\Users\\Ada\\.codex\\config.toml')
    expect(file({ ...linux, env: { CODEX_HOME: '/srv/codex' } }, 'codex', 'user')).toBe('/srv/codex/config.toml')
    expect(file(linux, 'codex', 'project', '/home/ada/src/app')).toBe('/home/ada/src/app/.codex/config.toml')
    expect(locationFor(linux, 'codex', 'user')).toMatchObject({ container: ['mcp_servers'] })
  })

  it('writes a helper command line by default, and names a variable or the bridge otherwise', () => {
    const codex = clientModule('codex')
    expect(describeClient('codex').placements[0]).toBe('helper')
    expect(codex.render(spec('helper'))).toEqual({ url: 'https://mcp.example/v1', http_headers_helper: '/opt/keywarden mcp-headers b1' })
    expect(codex.render(spec('bridge'))).toEqual({ command: '/opt/keywarden', args: ['mcp-bridge', 'b1'], startup_timeout_sec: 30 })
    expect(codex.render(spec('env'))).toEqual({ url: 'https://mcp.example/v1', bearer_token_env_var: 'KEYWARDEN_KW' })
    expect(codex.render(spec('env', { name: 'x-api-key' }))).toEqual({
      url: 'https://mcp.example/v1',
      env_http_headers: { 'x-api-key': 'KEYWARDEN_KW' }
    })
    expect(codex.render(spec('inline'))).toEqual({
      url: 'https://mcp.example/v1',
      http_headers: { Authorization: 'Bearer sbx_0123456789abcdef' }
    })
    expect(() => codex.render(spec('input'))).toThrow()
  })

  it('looks installed once ~/.codex holds files of its own, not when only an MCP entry Keywarden wrote is there', async () => {
    const home = await tempFolder('kw-codex-')
    const ctx: PathContext = { home, platform: 'linux', env: {} }
    expect((await listClients(ctx)).find((c) => c.client === 'codex')?.installed).toBe(false)
    await mkdir(join(home, '.codex'))
    await writeFile(join(home, '.codex', 'config.toml'), '[mcp_servers.kw]\nurl = "http://127.0.0.1:1/mcp"\n')
    expect((await listClients(ctx)).find((c) => c.client === 'codex')).toMatchObject({
      installed: false,
      evidence: expect.stringContaining('only its MCP file')
    })
    await writeFile(join(home, '.codex', 'version.json'), '{}')
    const codex = (await listClients(ctx)).find((c) => c.client === 'codex')!
    expect(codex).toMatchObject({ installed: true, evidence: join(home, '.codex') })
    expect(codex.afterWrite).toMatch(/new Codex session/)
    expect(codex.placements.find((p) => p.id === 'helper')?.label).toMatch(/nothing secret/)
  })
})

describe('Gemini CLI', () => {
  it('keeps servers in settings.json under ~/.gemini (or $GEMINI_CLI_HOME/.gemini) and a project .gemini folder', () => {
    expect(file(linux, 'gemini-cli', 'user')).toBe('/home/ada/.gemini/settings.json')
    expect(file(mac, 'gemini-cli', 'user')).toBe('/Users/ada/.gemini/settings.json')
    expect(file(win, 'gemini-cli', 'user')).toBe('C:\\Users\\Ada\\.gemini\\settings.json')
    expect(file({ ...linux, env: { GEMINI_CLI_HOME: '/srv/gem' } }, 'gemini-cli', 'user')).toBe('/srv/gem/.gemini/settings.json')
    expect(file(linux, 'gemini-cli', 'project', '/home/ada/src/app')).toBe('/home/ada/src/app/.gemini/settings.json')
    expect(locationFor(linux, 'gemini-cli', 'user')).toMatchObject({ container: ['mcpServers'] })
  })

  it('writes url with "type": "http", ${VAR} for a variable, and the bridge first', () => {
    const gemini = clientModule('gemini-cli')
    expect(describeClient('gemini-cli').placements).toEqual(['bridge', 'env', 'inline'])
    expect(gemini.render(spec('env'))).toEqual({
      url: 'https://mcp.example/v1',
      type: 'http',
      headers: { Authorization: 'Bearer ${KEYWARDEN_KW}' }
    })
    expect(gemini.render(spec('bridge'))).toEqual({ command: '/opt/keywarden', args: ['mcp-bridge', 'b1'] })
    expect(() => gemini.render(spec('helper'))).toThrow()
  })
})

describe('opencode', () => {
  it('keeps servers under "mcp" in ~/.config/opencode on every system, writing the file that is already there', () => {
    expect(file(linux, 'opencode', 'user')).toBe('/home/ada/.config/opencode/opencode.json')
    expect(file(mac, 'opencode', 'user')).toBe('/Users/ada/.config/opencode/opencode.json')
    expect(file(win, 'opencode', 'user')).toBe('C:\\Users\\Ada\\.config\\opencode\\opencode.json')
    expect(file({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }, 'opencode', 'user')).toBe('/xdg/opencode/opencode.json')
    const jsonc = { ...linux, exists: (p: string) => p.endsWith('opencode.jsonc') }
    expect(file(jsonc, 'opencode', 'user')).toBe('/home/ada/.config/opencode/opencode.jsonc')
    expect(file(jsonc, 'opencode', 'project', '/home/ada/src/app')).toBe('/home/ada/src/app/opencode.jsonc')
    const both = { ...linux, exists: () => true }
    expect(file(both, 'opencode', 'project', '/home/ada/src/app')).toBe('/home/ada/src/app/opencode.json')
    expect(locationFor(linux, 'opencode', 'user')).toMatchObject({ container: ['mcp'] })
  })

  it('writes a remote entry with oauth off, {env:VAR} for a variable, and the bridge as one command list', () => {
    const oc = clientModule('opencode')
    expect(oc.render(spec('inline'))).toEqual({
      type: 'remote',
      url: 'https://mcp.example/v1',
      oauth: false,
      headers: { Authorization: 'Bearer sbx_0123456789abcdef' }
    })
    expect(oc.render(spec('env')).headers).toEqual({ Authorization: 'Bearer {env:KEYWARDEN_KW}' })
    expect(oc.render(spec('bridge'))).toEqual({ type: 'local', command: ['/opt/keywarden', 'mcp-bridge', 'b1'] })
  })
})

describe('GitHub Copilot CLI', () => {
  it('keeps servers in ~/.copilot/mcp-config.json (or $COPILOT_HOME) and a workspace .mcp.json, or .github/mcp.json when only that exists', () => {
    expect(file(linux, 'copilot-cli', 'user')).toBe('/home/ada/.copilot/mcp-config.json')
    expect(file(mac, 'copilot-cli', 'user')).toBe('/Users/ada/.copilot/mcp-config.json')
    expect(file(win, 'copilot-cli', 'user')).toBe('C:\\Users\\Ada\\.copilot\\mcp-config.json')
    expect(file({ ...linux, env: { COPILOT_HOME: '/srv/cop' } }, 'copilot-cli', 'user')).toBe('/srv/cop/mcp-config.json')
    // XDG_CONFIG_HOME no longer moves it (Copilot CLI 1.0.4 and later).
    expect(file({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }, 'copilot-cli', 'user')).toBe('/home/ada/.copilot/mcp-config.json')
    expect(file(linux, 'copilot-cli', 'workspace', '/home/ada/src/app')).toBe('/home/ada/src/app/.mcp.json')
    const github = { ...linux, exists: (p: string) => p.endsWith('/.github/mcp.json') }
    expect(file(github, 'copilot-cli', 'workspace', '/home/ada/src/app')).toBe('/home/ada/src/app/.github/mcp.json')
    expect(file({ ...linux, exists: () => true }, 'copilot-cli', 'workspace', '/home/ada/src/app')).toBe('/home/ada/src/app/.mcp.json')
  })

  it('writes http entries and local bridge entries with every tool allowed', () => {
    const cp = clientModule('copilot-cli')
    expect(cp.render(spec('env'))).toEqual({
      type: 'http',
      url: 'https://mcp.example/v1',
      headers: { Authorization: 'Bearer ${KEYWARDEN_KW}' },
      tools: ['*']
    })
    expect(cp.render(spec('bridge'))).toEqual({ type: 'stdio', command: '/opt/keywarden', args: ['mcp-bridge', 'b1'], tools: ['*'] })
  })
})
