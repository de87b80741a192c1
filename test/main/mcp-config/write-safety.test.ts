import { realpath, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planRemove, planSetHeader, undoChange } from '../../../src/main/mcp-config/plan'
import type { ConfigLocation } from '../../../src/main/mcp-config/paths'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { tempFolder } from '../../support/temp-folder'

const KEY = 'lk_live_7Hq2mX9pR4vT8wY1zB3nC5dF'
const inline: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'inline',
  secret: KEY
}
const helper: ServerSpec = { ...inline, placement: 'helper', secret: undefined, helperCommand: 'keywarden mcp-headers b1' }

let root: string
let home: string
let backups: BackupStore
beforeEach(async () => {
  root = await tempFolder('kw-safety-')
  home = join(root, 'home')
  await mkdir(home)
  backups = createBackupStore(join(root, 'data'), testKeychain())
})
const loc = (client: Parameters<typeof locationFor>[1], scope: string, project?: string): ConfigLocation =>
  locationFor({ home, platform: 'linux', env: {} }, client, scope, project)!
async function put(location: ConfigLocation, text: string) {
  await mkdir(dirname(location.file), { recursive: true })
  await writeFile(location.file, text)
}

describe('files Keywarden refuses to change', () => {
  it('refuses a file with the servers key twice, naming its line, instead of editing the copy that does not count', async () => {
    const location = loc('claude-code', 'user')
    const text =
      '{\n  "mcpServers": {"a": {"type": "http", "url": "u"}},\n  "numStartups": 3,\n  "mcpServers": {"b": {"type": "http", "url": "u"}}\n}\n'
    await put(location, text)
    await expect(planAdd(location, inline)).rejects.toMatchObject({
      code: 'file-unparseable',
      message: expect.stringMatching(/"mcpServers" twice .*line 4, column 3/)
    })
    expect(await readFile(location.file, 'utf8')).toBe(text)
  })

  it('refuses a server name that is there twice rather than overwrite one of them', async () => {
    const location = loc('cursor', 'global')
    const text = '{\n  "mcpServers": {\n    "kw": {"url": "https://mine.example"},\n    "kw": {"url": "https://other.example"}\n  }\n}\n'
    await put(location, text)
    await expect(planAdd(location, inline, { replaceExisting: true })).rejects.toMatchObject({
      code: 'file-unparseable',
      message: expect.stringContaining('line 4')
    })
    await expect(planRemove(location, 'kw')).rejects.toMatchObject({ code: 'file-unparseable' })
    expect(await readFile(location.file, 'utf8')).toBe(text)
  })

  for (const servers of ['[]', '"x"', 'null', '42', '[{"a": 1}]']) {
    it(`says which key is wrong when "servers" is ${servers}, and writes nothing`, async () => {
      const location = loc('vscode', 'workspace', join(home, 'p'))
      const text = `{\n  // mine\n  "servers": ${servers}\n}\n`
      await put(location, text)
      await expect(
        planAdd(location, { ...helper, placement: 'input', helperCommand: undefined, input: { id: 'kw-key', description: 'k' } })
      ).rejects.toMatchObject({
        code: 'file-unparseable',
        message: expect.stringMatching(/mcp\.json: "servers" at line 3, column 14 should be an object/)
      })
      expect(await readFile(location.file, 'utf8')).toBe(text)
    })
  }

  it('says so when "inputs" is not a list', async () => {
    const location = loc('vscode', 'workspace', join(home, 'p'))
    await put(location, '{\n  "inputs": {"x": 1},\n  "servers": {}\n}\n')
    await expect(
      planAdd(location, { ...helper, placement: 'input', helperCommand: undefined, input: { id: 'kw-key', description: 'k' } })
    ).rejects.toMatchObject({
      code: 'file-unparseable',
      message: expect.stringContaining('"inputs" at line 2, column 13 should be a list')
    })
  })
})

describe('symbolic links', () => {
  it('writes the target of a dangling link (creating its folder) and keeps the link', async () => {
    const location = loc('claude-code', 'user')
    const target = join(home, 'dotfiles', 'claude', 'claude.json')
    await symlink(target, location.file)
    await applyPlan(await planAdd(location, helper, { home }), backups)
    expect((await lstat(location.file)).isSymbolicLink()).toBe(true)
    expect(await readlink(location.file)).toBe(target)
    expect(JSON.parse(await readFile(target, 'utf8')).mcpServers.kw.headersHelper).toBe('keywarden mcp-headers b1')
  })

  it("follows a relative link from the link's own folder", async () => {
    const location = loc('claude-code', 'user')
    await mkdir(join(home, 'dot'))
    await writeFile(join(home, 'dot', 'c.json'), '{"a":1}\n')
    await symlink('dot/c.json', location.file)
    await applyPlan(await planAdd(location, helper, { home }), backups)
    expect(await readlink(location.file)).toBe('dot/c.json')
    expect(JSON.parse(await readFile(join(home, 'dot', 'c.json'), 'utf8'))).toMatchObject({ a: 1, mcpServers: { kw: { type: 'http' } } })
  })
})

describe('undo', () => {
  it('removes the added server even after Claude Code rewrote the rest of its file', async () => {
    const location = loc('claude-code', 'user')
    await put(location, '{\n  "numStartups": 1,\n  "mcpServers": {}\n}\n')
    const change = await applyPlan(await planAdd(location, helper), backups)
    // Claude Code rewrites ~/.claude.json whole, with new counters and its own layout.
    const now = JSON.parse(await readFile(location.file, 'utf8'))
    await writeFile(location.file, JSON.stringify({ ...now, numStartups: 2, tipsHistory: { x: 1 } }, null, 2))
    await undoChange(change, backups)
    expect(JSON.parse(await readFile(location.file, 'utf8'))).toEqual({ numStartups: 2, mcpServers: {}, tipsHistory: { x: 1 } })
    await expect(undoChange(change, backups)).rejects.toMatchObject({ code: 'conflict', message: 'That change was already undone.' })
  })

  it('puts the previous key back after a key change, keeping other edits made since', async () => {
    const location = loc('cursor', 'global')
    await put(location, `{\n  "mcpServers": {\n    "kw": { "url": "u", "headers": { "Authorization": "Bearer ${KEY}" } }\n  }\n}\n`)
    const NEW = 'lk_live_NEWNEWNEWNEWNEWNEWNEWNEW'
    const change = await applyPlan(await planSetHeader(location, 'kw', 'Authorization', `Bearer ${NEW}`, [KEY]), backups)
    const text = await readFile(location.file, 'utf8')
    await writeFile(location.file, text.replace('"mcpServers": {', '"mcpServers": {\n    "mine": { "url": "m" },'))
    await undoChange(change, backups)
    const after = JSON.parse(await readFile(location.file, 'utf8'))
    expect(after.mcpServers.kw.headers.Authorization).toBe(`Bearer ${KEY}`)
    expect(after.mcpServers.mine).toEqual({ url: 'm' })
  })

  it('puts a removed server back, and removes the VS Code input it used', async () => {
    const location = loc('vscode', 'user')
    await put(location, '{\n  "servers": {\n    "other": { "type": "http", "url": "o" }\n  }\n}\n')
    const original = await readFile(location.file, 'utf8')
    await applyPlan(
      await planAdd(location, { ...helper, placement: 'input', helperCommand: undefined, input: { id: 'kw-key', description: 'k' } }),
      backups
    )
    const added = await readFile(location.file, 'utf8')
    const removal = await applyPlan(await planRemove(location, 'kw'), backups)
    // The input only "kw" used goes with it: the file is as it was.
    expect(await readFile(location.file, 'utf8')).toBe(original.replace('\n}\n', ',\n  "inputs": []\n}\n'))
    await undoChange(removal, backups)
    expect(JSON.parse(await readFile(location.file, 'utf8'))).toEqual(JSON.parse(added))
  })

  it('keeps an input another server still uses', async () => {
    const location = loc('vscode', 'user')
    const input = { id: 'kw-key', description: 'k' }
    await put(location, '{}')
    await applyPlan(await planAdd(location, { ...helper, placement: 'input', helperCommand: undefined, input }), backups)
    await applyPlan(await planAdd(location, { ...helper, name: 'kw2', placement: 'input', helperCommand: undefined, input }), backups)
    await applyPlan(await planRemove(location, 'kw'), backups)
    expect(JSON.parse(await readFile(location.file, 'utf8')).inputs).toEqual([
      { type: 'promptString', id: 'kw-key', description: 'k', password: true }
    ])
  })

  it('keeps the undo when the check after writing fails', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const plan = await planAdd(location, inline)
    // A plan whose written text lost the entry: the read-back check must catch it.
    plan.after = '{"mcpServers": {}} '
    await expect(applyPlan(plan, backups)).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('can be undone') })
    expect((await backups.list()).map((c) => c.summary)).toEqual(['Add "kw" to Cursor (global)'])
  })

  it('records nothing when the file changed before writing', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const plan = await planAdd(location, inline)
    await writeFile(location.file, '{"mcpServers": {}, "x": 1}')
    await expect(applyPlan(plan, backups)).rejects.toMatchObject({ code: 'file-changed' })
    expect(await backups.list()).toEqual([])
  })

  it('keeps owner-only backups of earlier versions, at most twenty per file', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    for (let i = 0; i < 22; i++) {
      const name = `kw${i}`
      await applyPlan(await planAdd(location, { ...inline, name }), backups)
    }
    const dir = join(root, 'data', 'backups')
    const files = await readdir(dir)
    expect(files.filter((f) => f.endsWith('.kwb'))).toHaveLength(20)
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600)
  })
})

describe('leftovers of a killed writer', () => {
  it("deletes only the temp files Keywarden's own ledger proves it wrote, never a user's numbered copies", async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    // The person's own copies, named as a naive sweep would take for temp files.
    const mine = [`${location.file}.1`, `${location.file}.20260101`, `${location.file}.3735928559`, `${location.file}.bak`]
    for (const f of mine) await writeFile(f, `mine ${f}`)
    // A temp file a killed Keywarden left: marker in its name, and an entry in the ledger.
    const stray = `${location.file}.kw-0123456789abcdef.tmp`
    await writeFile(stray, `{"mcpServers": {"x": {"headers": {"Authorization": "Bearer ${KEY}"}}}}`)
    await mkdir(join(root, 'data', 'temp-files'), { recursive: true })
    await writeFile(join(root, 'data', 'temp-files', 'dead.json'), JSON.stringify({ temp: stray, pid: 2 ** 22 + 17 }))
    // Marker but no ledger entry: not provably ours, so it stays.
    const unproven = `${location.file}.kw-fedcba9876543210.tmp`
    await writeFile(unproven, 'unproven')
    await applyPlan(await planAdd(location, inline), backups)
    expect((await readdir(dirname(location.file))).sort()).toEqual(
      ['mcp.json', 'mcp.json.1', 'mcp.json.20260101', 'mcp.json.3735928559', 'mcp.json.bak', 'mcp.json.kw-fedcba9876543210.tmp'].sort()
    )
    for (const f of mine) expect(await readFile(f, 'utf8')).toBe(`mine ${f}`)
    expect(await readdir(join(root, 'data', 'temp-files'))).toEqual([])
  })

  it("leaves a user's ~/.claude.json.1 and ~/.claude.json.20260101 alone", async () => {
    const location = loc('claude-code', 'user')
    await put(location, '{"mcpServers": {}}\n')
    await writeFile(`${location.file}.1`, 'one')
    await writeFile(`${location.file}.20260101`, 'dated')
    await applyPlan(await planAdd(location, helper), backups)
    expect(await readFile(`${location.file}.1`, 'utf8')).toBe('one')
    expect(await readFile(`${location.file}.20260101`, 'utf8')).toBe('dated')
  })
})

describe('links that lead elsewhere', () => {
  it('names the real file in the preview when the config is a link inside the home folder', async () => {
    const location = loc('claude-code', 'user')
    await mkdir(join(home, 'dotfiles'))
    await writeFile(join(home, 'dotfiles', 'claude.json'), '{}\n')
    await symlink(join(home, 'dotfiles', 'claude.json'), location.file)
    const plan = await planAdd(location, helper, { home })
    expect(plan.target).toBe(join(await realpath(home), 'dotfiles', 'claude.json'))
    expect(plan.diff).toContain(plan.target)
    expect(plan.linkNote).toContain(plan.target)
  })

  it('names the real file when the project folder is a link', async () => {
    await mkdir(join(home, 'real-project'))
    await symlink(join(home, 'real-project'), join(home, 'project-link'))
    const location = loc('claude-code', 'project', join(home, 'project-link'))
    const plan = await planAdd(location, helper, { home })
    expect(plan.target).toBe(join(await realpath(home), 'real-project', '.mcp.json'))
    expect(plan.diff).toContain(join('real-project', '.mcp.json'))
  })

  it('refuses a link that leads outside the home folder or into a system folder, and writes nothing', async () => {
    const outside = await tempFolder('kw-outside-')
    await writeFile(join(outside, 'c.json'), '{}\n')
    const location = loc('claude-code', 'user')
    await symlink(join(outside, 'c.json'), location.file)
    await expect(planAdd(location, helper, { home })).rejects.toMatchObject({
      code: 'file-unwritable',
      message: expect.stringContaining('outside your home folder')
    })
    expect(await readFile(join(outside, 'c.json'), 'utf8')).toBe('{}\n')
    await mkdir(join(home, 'proj'))
    await symlink('/etc', join(home, 'proj', '.vscode'))
    await expect(
      planAdd(
        loc('vscode', 'workspace', join(home, 'proj')),
        { ...inline, placement: 'input', secret: undefined, input: { id: 'k', description: 'k' } },
        { home }
      )
    ).rejects.toMatchObject({
      message: expect.stringMatching(/system folder|outside your home/)
    })
  })
})
