import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planSetHeader, undoChange } from '../../../src/main/mcp-config/plan'
import { describeClient, locationFor } from '../../../src/main/mcp-config/clients'
import { scanLocations } from '../../../src/main/mcp-config/scan'
import type { PathContext } from '../../../src/main/mcp-config/paths'
import { tempFolder } from '../../support/temp-folder'

// Claude Desktop and Windsurf do not run here: their files are checked against golden files
// written from their documentation (fixtures/clients/*-after-*.json) and against the documented shape.
const fixtures = join(import.meta.dirname, '../../fixtures/clients')
const golden = (name: string) => readFile(join(fixtures, name), 'utf8')
const KEY = 'sbx_7Hq2mX9pR4vT8wY1zB3nC5dF'
const base = { name: 'sandbox', url: 'https://mcp.example/v1', header: { name: 'Authorization', scheme: 'Bearer' as const } }
const bridge: ServerSpec = {
  ...base,
  placement: 'bridge',
  bridge: { command: '/Applications/Keywarden.app/Contents/MacOS/Keywarden', args: ['mcp-bridge', '5f0c2a91'] }
}

let home: string
let backups: BackupStore
beforeEach(async () => {
  const root = await tempFolder('kw-desktop-')
  home = join(root, 'home')
  backups = createBackupStore(join(root, 'data'), testKeychain())
})

async function addTo(ctx: PathContext, client: 'windsurf' | 'claude-desktop', before: string, spec: ServerSpec) {
  const location = locationFor(ctx, client, 'user')!
  await mkdir(dirname(location.file), { recursive: true })
  await writeFile(location.file, before)
  const id = await applyPlan(await planAdd(location, spec), backups)
  return { location, id, after: await readFile(location.file, 'utf8') }
}

/** Windsurf's documented remote entry: `serverUrl` (never `url`) and string headers; stdio: command + args. */
function windsurfShape(entry: Record<string, unknown>) {
  if ('command' in entry) return typeof entry['command'] === 'string' && Array.isArray(entry['args']) && !('serverUrl' in entry)
  const headers = entry['headers'] as Record<string, unknown>
  return typeof entry['serverUrl'] === 'string' && !('url' in entry) && Object.values(headers).every((v) => typeof v === 'string')
}

describe('Windsurf (golden files from its documentation)', () => {
  for (const [placement, spec] of [
    ['inline', { ...base, placement: 'inline', secret: KEY }],
    ['env', { ...base, placement: 'env', envVar: 'KEYWARDEN_SANDBOX_WORK' }],
    ['bridge', bridge]
  ] as Array<[string, ServerSpec]>) {
    it(`adds a ${placement} entry exactly as the golden file, and undo gives back the file`, async () => {
      const before = await golden('windsurf-before.json')
      const ctx: PathContext = { home, platform: 'darwin', env: {} }
      const { location, id, after } = await addTo(ctx, 'windsurf', before, spec)
      expect(location.file).toBe(join(home, '.codeium', 'windsurf', 'mcp_config.json'))
      expect(after).toBe(await golden(`windsurf-after-${placement}.json`))
      const servers = JSON.parse(after).mcpServers as Record<string, Record<string, unknown>>
      for (const [name, entry] of Object.entries(servers)) expect(windsurfShape(entry), name).toBe(true)
      await undoChange(id, backups)
      expect(await readFile(location.file, 'utf8')).toBe(before)
    })
  }

  it('rotates an inline key in place and finds it by fingerprint', async () => {
    const ctx: PathContext = { home, platform: 'linux', env: {} }
    const { location } = await addTo(ctx, 'windsurf', await golden('windsurf-before.json'), { ...base, placement: 'inline', secret: KEY })
    const next = 'sbx_NEWnewNEWnewNEWnewNEW1'
    await applyPlan(await planSetHeader(location, 'sandbox', 'Authorization', `Bearer ${next}`, [KEY]), backups)
    const entry = JSON.parse(await readFile(location.file, 'utf8')).mcpServers.sandbox
    expect(entry).toEqual({ serverUrl: base.url, headers: { Authorization: `Bearer ${next}` } })
    const { findings } = await scanLocations([location])
    expect(findings.find((f) => f.serverName === 'sandbox')).toMatchObject({ url: base.url, placement: 'inline', prefix: 'sbx_NEWn' })
    expect(findings.find((f) => f.serverName === 'github')).toMatchObject({ placement: 'other' })
  })

  it('says to press Refresh in the MCP panel', () => {
    expect(describeClient('windsurf').afterWrite).toMatch(/Refresh/)
    expect(locationFor({ home: 'C:\\Users\\Ada', platform: 'win32', env: {} }, 'windsurf', 'user')?.file).toBe(
      'C:\\Users\\Ada\\.codeium\\windsurf\\mcp_config.json'
    )
  })
})

describe('Claude Desktop (golden files from its documentation)', () => {
  it('adds the keychain bridge as a stdio entry exactly as the golden file, never a url', async () => {
    const before = await golden('claude-desktop-before.json')
    const ctx: PathContext = { home, platform: 'darwin', env: {} }
    const { location, id, after } = await addTo(ctx, 'claude-desktop', before, bridge)
    expect(location.file).toBe(join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'))
    expect(after).toBe(await golden('claude-desktop-after-bridge.json'))
    for (const entry of Object.values(JSON.parse(after).mcpServers as Record<string, Record<string, unknown>>)) {
      expect(Object.keys(entry).sort()).toEqual(['args', 'command'])
      expect(entry['command']).toMatch(/^(\/|npx$)/)
    }
    await undoChange(id, backups)
    expect(await readFile(location.file, 'utf8')).toBe(before)
  })

  it('offers only the bridge, and refuses to render anything with a url', async () => {
    expect(describeClient('claude-desktop').placements).toEqual(['bridge'])
    expect(describeClient('claude-desktop').afterWrite).toMatch(/Quit Claude Desktop completely/)
    const location = locationFor({ home, platform: 'linux', env: {} }, 'claude-desktop', 'user')!
    await expect(planAdd(location, { ...base, placement: 'inline', secret: KEY })).rejects.toThrow(/local servers only/)
    await expect(planAdd(location, { ...base, placement: 'bridge' })).rejects.toThrow(/needs the command that starts the bridge/)
  })

  it('finds the file on each system, the Microsoft Store build in its package folder', () => {
    expect(locationFor({ home: '/home/ada', platform: 'linux', env: {} }, 'claude-desktop', 'user')?.file).toBe(
      '/home/ada/.config/Claude/claude_desktop_config.json'
    )
    const win: PathContext = {
      home: 'C:\\Users\\Ada',
      platform: 'win32',
      env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Ada\\AppData\\Local' },
      exists: () => false
    }
    expect(locationFor(win, 'claude-desktop', 'user')?.file).toBe('C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json')
    const store = { ...win, exists: (p: string) => p === 'C:\\Users\\Ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc' }
    expect(locationFor(store, 'claude-desktop', 'user')?.file).toBe(
      'C:\\Users\\Ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json'
    )
  })
})
