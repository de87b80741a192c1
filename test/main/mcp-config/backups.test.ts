import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planRemove, planSetHeader, undoChange } from '../../../src/main/mcp-config/plan'
import type { ConfigLocation } from '../../../src/main/mcp-config/paths'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { fingerprint } from '../../../src/main/vault/fingerprint'
import { tempFolder } from '../../support/temp-folder'

const KEY = 'lk_live_7Hq2mX9pR4vT8wY1zB3nC5dF'
const NEXT = 'lk_live_Zq8wE3rT6yU1iO4pA7sD0fG2'
const OTHER_TOOL = 'ghp_otherToolTokenNobodyToldKeywarden01'
const inline: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'inline',
  secret: KEY
}

let root: string
let data: string
let backups: BackupStore
let keychain: ReturnType<typeof testKeychain>
beforeEach(async () => {
  root = await tempFolder('kw-backups-')
  data = join(root, 'data')
  keychain = testKeychain()
  backups = createBackupStore(data, keychain)
})
const loc = (client: Parameters<typeof locationFor>[1], scope: string): ConfigLocation =>
  locationFor({ home: join(root, 'home'), platform: 'linux', env: {} }, client, scope)!
async function put(location: ConfigLocation, text: string | Buffer) {
  await mkdir(dirname(location.file), { recursive: true })
  await writeFile(location.file, text)
}
/** Every file under a folder, as bytes. */
async function everyFile(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name)
    if ((await stat(path)).isFile()) out.push(await readFile(path))
  }
  return out
}
const hits = (files: Buffer[], secret: string) =>
  files.filter((b) => b.includes(secret) || b.includes(Buffer.from(secret).toString('base64'))).length

describe('backups of config files', () => {
  it('hold no key in the clear — neither Keywarden’s nor another tool’s — and undo still gives back the exact bytes', async () => {
    const location = loc('cursor', 'global')
    // CRLF, a BOM, odd spacing and another tool's token: all of it must come back byte for byte.
    const original = Buffer.from(
      `\uFEFF{\r\n  "mcpServers" : {\r\n    "gh": { "url": "https://gh.example", "headers": { "Authorization": "Bearer ${OTHER_TOOL}" } }\r\n  }   \r\n}\r\n`
    )
    await put(location, original)
    const added = await applyPlan(await planAdd(location, inline), backups)
    const rotated = await applyPlan(await planSetHeader(location, 'kw', 'Authorization', `Bearer ${NEXT}`, [KEY]), backups)
    const removed = await applyPlan(await planRemove(location, 'kw'), backups)
    const files = await everyFile(data)
    expect(files.length).toBeGreaterThan(0)
    expect({ live: hits(files, NEXT), revoked: hits(files, KEY), otherTool: hits(files, OTHER_TOOL) }).toEqual({
      live: 0,
      revoked: 0,
      otherTool: 0
    })
    for (const id of [removed, rotated, added]) await undoChange(id, backups)
    expect((await readFile(location.file)).equals(original)).toBe(true)
  })

  it('cannot be opened with another vault’s backup key', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const id = await applyPlan(await planAdd(location, inline), backups)
    const stranger = createBackupStore(data, testKeychain('stranger'))
    await expect(stranger.content(id)).rejects.toThrow(/another vault/)
    expect((await backups.content(id)).toString()).toBe('{"mcpServers": {}}')
  })

  it('are pruned by age: a change older than 30 days goes at the next write', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    let at = new Date('2026-01-01T00:00:00Z')
    const dated = createBackupStore(data, keychain, { now: () => at })
    const old = await applyPlan(await planAdd(location, inline), dated)
    at = new Date('2026-01-20T00:00:00Z')
    const recent = await applyPlan(await planAdd(location, { ...inline, name: 'kw2' }), dated)
    at = new Date('2026-02-05T00:00:00Z')
    await applyPlan(await planAdd(location, { ...inline, name: 'kw3' }), dated)
    const ids = (await dated.list()).map((c) => c.id)
    expect(ids).not.toContain(old)
    expect(ids).toContain(recent)
    expect(await readdir(join(data, 'backups'))).not.toContain(`${old}.kwb`)
  })

  it('of revoked keys go when the vault names the keys still live; others stay', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const first = await applyPlan(await planAdd(location, inline), backups)
    const rotation = await applyPlan(await planSetHeader(location, 'kw', 'Authorization', `Bearer ${NEXT}`, [KEY]), backups)
    const claude = loc('claude-code', 'user')
    const helper = await applyPlan(
      await planAdd(claude, { ...inline, name: 'h', placement: 'helper', secret: undefined, helperCommand: 'keywarden mcp-headers b1' }),
      backups
    )
    // KEY was revoked by the rotation: only the backup that held nothing but KEY can go.
    expect(await backups.pruneRevoked(new Set([fingerprint(NEXT)]))).toEqual([first])
    expect((await backups.list()).map((c) => c.id).sort()).toEqual([rotation, helper].sort())
    // Once NEXT is revoked too, the rotation's backup goes; the helper's (no key) stays.
    expect(await backups.pruneRevoked(new Set())).toEqual([rotation])
    expect((await backups.list()).map((c) => c.id)).toEqual([helper])
  })
})

describe('the backup index', () => {
  it('stays readable after a change with a very long summary, and later writes and undo work', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const name = `server-${'x'.repeat(500)}`
    const id = await applyPlan(await planAdd(location, { ...inline, name }), backups)
    const list = await backups.list()
    expect(list[0]!.summary.length).toBeLessThanOrEqual(300)
    await applyPlan(await planAdd(location, { ...inline, name: 'kw2' }), backups)
    await undoChange(id, backups)
    expect(JSON.parse(await readFile(location.file, 'utf8')).mcpServers).toHaveProperty('kw2')
  })

  it('is rebuilt from the backup files when damaged, and never blocks a write', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const first = await applyPlan(await planAdd(location, inline), backups)
    for (const damage of ['{"version": 1, "changes": [', 'not json at all', '{"changes": [{"id": 3}]}', '']) {
      await writeFile(join(data, 'backups', 'index.json'), damage)
      const fresh = createBackupStore(data, keychain)
      expect((await fresh.list()).map((c) => c.id)).toContain(first)
    }
    await writeFile(join(data, 'backups', 'index.json'), '\u0000\u0001garbage')
    const second = await applyPlan(await planAdd(location, { ...inline, name: 'kw2' }), createBackupStore(data, keychain))
    const fresh = createBackupStore(data, keychain)
    expect((await fresh.list()).map((c) => c.id)).toEqual([second, first])
    await undoChange(second, fresh)
    await undoChange(first, fresh)
    expect(await readFile(location.file, 'utf8')).toBe('{"mcpServers": {}}')
  })

  it('at the next start, indexes the backups a killed process wrote and cleans its half-written ones', async () => {
    const location = loc('cursor', 'global')
    await put(location, '{"mcpServers": {}}')
    const done = await applyPlan(await planAdd(location, inline), backups)
    // The killed process wrote its backup but never reached the index.
    await rm(join(data, 'backups', 'index.json'))
    const dir = join(data, 'backups')
    const part = join(dir, `deadbeef-0000-4000-8000-000000000000.${2 ** 22 + 17}.part`)
    await writeFile(part, 'half')
    const fresh = createBackupStore(data, keychain)
    await fresh.recover()
    expect((await fresh.list()).map((c) => c.id)).toEqual([done])
    expect((await readdir(dir)).sort()).toEqual([`${done}.kwb`, 'index.json'].sort())
  })
})
