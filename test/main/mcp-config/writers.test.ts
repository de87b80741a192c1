import { chmod, mkdir, readFile, readlink, stat, symlink, writeFile, copyFile, lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planRemove, planSetHeader, undoChange } from '../../../src/main/mcp-config/plan'
import type { PathContext } from '../../../src/main/mcp-config/paths'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { tempFolder } from '../../support/temp-folder'

const fixtures = join(import.meta.dirname, '../../fixtures/tools')
let home: string
let ctx: PathContext
let backups: BackupStore

beforeEach(async () => {
  const root = await tempFolder('kw-tools-')
  home = join(root, 'home')
  await mkdir(home, { recursive: true })
  ctx = { home, platform: 'linux', env: {} }
  backups = createBackupStore(join(root, 'data'), testKeychain())
})

const KEY = 'sbx_AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKKKllll'
const inline = (name = 'keywarden-sandbox'): ServerSpec => ({
  name,
  url: 'http://127.0.0.1:4870/mcp',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'inline',
  secret: KEY
})
const loc = (client: Parameters<typeof locationFor>[1], scope: string, project?: string) => locationFor(ctx, client, scope, project)!

/** The bytes before and after the changed region must be the file's own, untouched. */
function changedRegion(before: string, after: string) {
  let start = 0
  while (start < before.length && before[start] === after[start]) start++
  let end = 0
  while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++
  return { start, removed: before.slice(start, before.length - end), added: after.slice(start, after.length - end) }
}

describe('config writers', () => {
  it('adds a server to a commented VS Code mcp.json, keeping every comment and trailing comma', async () => {
    const location = loc('vscode', 'user')
    await mkdir(join(home, '.config/Code/User'), { recursive: true })
    await copyFile(join(fixtures, 'vscode-user-commented.jsonc'), location.file)
    const before = await readFile(location.file, 'utf8')
    const plan = await planAdd(location, inline())
    await applyPlan(plan, backups)
    const after = await readFile(location.file, 'utf8')
    const region = changedRegion(before, after)
    expect(region.removed.trim()).toBe('')
    expect(region.added).toContain('"keywarden-sandbox": {')
    expect(after).toContain('// Servers I use every day. Keep this comment!')
    expect(after).toContain('/* the GitHub server */')
    expect(after).toContain('}, // prompted')
    expect(after.indexOf('"servers"')).toBeGreaterThan(0)
    expect(after).not.toContain('mcpServers')
    expect(plan.diff).toContain('sbx_AAAA…')
    expect(plan.diff).not.toContain(KEY)
    expect((await stat(location.file)).mode & 0o777).toBe(0o600)
  })

  it('keeps CRLF line endings and tab indentation in a Cursor file', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, '.cursor'))
    await copyFile(join(fixtures, 'cursor-crlf-tabs.json'), location.file)
    await applyPlan(await planAdd(location, inline()), backups)
    const after = await readFile(location.file, 'utf8')
    expect(after).toBe(
      '{\r\n\t"mcpServers": {\r\n\t\t"docs": {\r\n\t\t\t"url": "https://docs.example.com/mcp"\r\n\t\t},\r\n' +
        `\t\t"keywarden-sandbox": {\r\n\t\t\t"url": "http://127.0.0.1:4870/mcp",\r\n\t\t\t"headers": {\r\n\t\t\t\t"Authorization": "Bearer ${KEY}"\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}\r\n`
    )
  })

  it('keeps a byte-order mark and writes Claude Code entries with "type": "http"', async () => {
    const project = join(home, 'src/app')
    await mkdir(project, { recursive: true })
    const location = loc('claude-code', 'project', project)
    await copyFile(join(fixtures, 'mcp-bom.json'), location.file)
    await applyPlan(
      await planAdd(location, { ...inline(), placement: 'helper', secret: undefined, helperCommand: 'keywarden mcp-headers b1' }),
      backups
    )
    const after = await readFile(location.file, 'utf8')
    expect(after.charCodeAt(0)).toBe(0xfeff)
    expect(JSON.parse(after.slice(1))).toEqual({
      mcpServers: { 'keywarden-sandbox': { type: 'http', url: 'http://127.0.0.1:4870/mcp', headersHelper: 'keywarden mcp-headers b1' } }
    })
  })

  it("edits one project's servers inside a large ~/.claude.json and leaves every other byte alone", async () => {
    const projects: Record<string, unknown> = {}
    for (let i = 0; i < 400; i++)
      projects[`/home/me/src/p${i}`] = {
        allowedTools: [],
        history: Array.from({ length: 10 }, (_, j) => ({ display: `prompt ${j} in ${i}` })),
        mcpServers: {}
      }
    const original = JSON.stringify(
      { numStartups: 42, theme: 'dark', projects, mcpServers: { other: { type: 'stdio', command: 'x' } } },
      null,
      2
    )
    const location = loc('claude-code', 'local', '/home/me/src/p200')
    await writeFile(location.file, original)
    await applyPlan(await planAdd(location, inline()), backups)
    const after = await readFile(location.file, 'utf8')
    const region = changedRegion(original, after)
    expect(region.removed).toBe('')
    expect(region.added).toContain('"keywarden-sandbox"')
    expect(region.added.length).toBeLessThan(300)
    const parsed = JSON.parse(after)
    expect(parsed.projects['/home/me/src/p200'].mcpServers['keywarden-sandbox'].type).toBe('http')
    expect(parsed.projects['/home/me/src/p199'].mcpServers).toEqual({})
    expect(parsed.mcpServers).toEqual({ other: { type: 'stdio', command: 'x' } })
  })

  it('creates a missing folder and file for a new workspace config', async () => {
    const project = join(home, 'proj')
    await mkdir(project)
    const location = loc('vscode', 'workspace', project)
    await applyPlan(
      await planAdd(location, {
        ...inline(),
        placement: 'input',
        secret: undefined,
        input: { id: 'keywarden-sandbox-key', description: 'Local sandbox API key' }
      }),
      backups
    )
    const after = JSON.parse(await readFile(location.file, 'utf8'))
    expect(after).toEqual({
      servers: {
        'keywarden-sandbox': {
          type: 'http',
          url: 'http://127.0.0.1:4870/mcp',
          headers: { Authorization: 'Bearer ${input:keywarden-sandbox-key}' }
        }
      },
      inputs: [{ type: 'promptString', id: 'keywarden-sandbox-key', description: 'Local sandbox API key', password: true }]
    })
  })

  it('refuses to clobber a server the person made, suggesting a free name', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, '.cursor'))
    await writeFile(location.file, '{"mcpServers": {"keywarden-sandbox": {"url": "https://mine.example"}}}')
    await expect(planAdd(location, inline())).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('"keywarden-sandbox-2"')
    })
  })

  it('never overwrites a file that does not parse, and says where the error is', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, '.cursor'))
    const broken = '{\n  "mcpServers": {\n    "a": { "url": "x" }\n    "b": {}\n  }\n}\n'
    await writeFile(location.file, broken)
    await expect(planAdd(location, inline())).rejects.toMatchObject({
      code: 'file-unparseable',
      message: expect.stringMatching(/line 4, column 5 .*Keywarden did not change it/)
    })
    expect(await readFile(location.file, 'utf8')).toBe(broken)
  })

  it('stops when the file changed between preview and write', async () => {
    const location = loc('claude-code', 'user')
    await writeFile(location.file, '{"numStartups": 1}')
    const plan = await planAdd(location, inline())
    await writeFile(location.file, '{"numStartups": 2}') // Claude Code rewrote its file meanwhile
    await expect(applyPlan(plan, backups)).rejects.toMatchObject({ code: 'file-changed' })
    expect(await readFile(location.file, 'utf8')).toBe('{"numStartups": 2}')
  })

  it('leaves a read-only file alone with a clear error', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, '.cursor'))
    await writeFile(location.file, '{"mcpServers": {}}')
    await chmod(location.file, 0o444)
    const plan = await planAdd(location, inline())
    await expect(applyPlan(plan, backups)).rejects.toMatchObject({ code: 'file-unwritable', message: expect.stringContaining('read-only') })
    expect(await readFile(location.file, 'utf8')).toBe('{"mcpServers": {}}')
  })

  it('writes through a symlink to its target and keeps the link', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, 'dotfiles'))
    await mkdir(join(home, '.cursor'))
    await writeFile(join(home, 'dotfiles/mcp.json'), '{"mcpServers": {}}\n')
    await symlink(join(home, 'dotfiles/mcp.json'), location.file)
    await applyPlan(await planAdd(location, inline(), { home }), backups)
    expect((await lstat(location.file)).isSymbolicLink()).toBe(true)
    expect(await readlink(location.file)).toBe(join(home, 'dotfiles/mcp.json'))
    expect(JSON.parse(await readFile(join(home, 'dotfiles/mcp.json'), 'utf8')).mcpServers['keywarden-sandbox']).toBeDefined()
  })

  it('updates only the key inside an inline entry, then undoes it byte for byte', async () => {
    const location = loc('cursor', 'global')
    await mkdir(join(home, '.cursor'))
    await writeFile(location.file, '{\n  // mine\n  "mcpServers": {}\n}\n')
    await applyPlan(await planAdd(location, inline()), backups)
    const withOld = await readFile(location.file, 'utf8')
    const NEW = 'sbx_ZZZZyyyyXXXXwwwwVVVVuuuuTTTTssssRRRRqqqqPPPPoooo'
    const plan = await planSetHeader(location, 'keywarden-sandbox', 'authorization', `Bearer ${NEW}`, [KEY])
    expect(plan.diff).not.toContain(NEW)
    expect(plan.diff).not.toContain(KEY)
    const change = await applyPlan(plan, backups)
    const withNew = await readFile(location.file, 'utf8')
    expect(withNew).toBe(withOld.replace(KEY, NEW))
    await undoChange(change, backups)
    expect(await readFile(location.file, 'utf8')).toBe(withOld)
    await expect(undoChange(change, backups)).rejects.toMatchObject({ code: 'conflict' })
  })

  it('refuses to undo over an entry someone changed afterwards, and removes files it created', async () => {
    const location = loc('cursor', 'global')
    const first = await applyPlan(await planAdd(location, inline()), backups)
    const written = await readFile(location.file, 'utf8')
    await writeFile(location.file, written.replace('http://127.0.0.1:4870/mcp', 'http://127.0.0.1:9999/mcp'))
    await expect(undoChange(first, backups)).rejects.toMatchObject({
      code: 'file-changed',
      message: expect.stringContaining('"keywarden-sandbox"')
    })
    expect(await readFile(location.file, 'utf8')).toContain('9999')
    await writeFile(location.file, '{}')
    await mkdir(join(home, 'proj'))
    const location2 = loc('cursor', 'project', join(home, 'proj'))
    const created = await applyPlan(await planAdd(location2, inline()), backups)
    await undoChange(created, backups)
    await expect(stat(location2.file)).rejects.toThrow()
  })

  it('removes an entry and keeps backups owner-only in the data folder', async () => {
    const location = loc('cursor', 'global')
    await applyPlan(await planAdd(location, inline()), backups)
    await applyPlan(await planRemove(location, 'keywarden-sandbox'), backups)
    expect(JSON.parse(await readFile(location.file, 'utf8'))).toEqual({ mcpServers: {} })
    const [latest] = await backups.list()
    expect(latest?.summary).toBe('Remove "keywarden-sandbox" from Cursor (global)')
    const backupFile = join(home, '..', 'data', 'backups', `${latest!.id}.kwb`)
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600)
    expect((await stat(join(home, '..', 'data', 'backups'))).mode & 0o777).toBe(0o700)
  })
})
