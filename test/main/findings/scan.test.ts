import { randomBytes } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { KeyMeta } from '../../../src/shared/schemas'
import { scanForKeys } from '../../../src/main/findings/scan'
import { buildVaultIndex, emptyVaultIndex, fingerprintKey } from '../../../src/main/findings/vault-index'
import { createKeytarStore } from '../../../src/main/vault/secret-store'
import { plantedHome } from './home'
import { makeKey, nonSecretCorpus, random } from './planted'

const meta = (id: string, name: string, value: string, status: KeyMeta['status'], inVault = true): KeyMeta => ({
  id,
  providerId: 'p1',
  name,
  prefix: value.slice(0, 8),
  status,
  inVault,
  createdAt: '2026-01-01T00:00:00.000Z',
  addedAt: '2026-01-01T00:00:00.000Z'
})

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      const st = await lstat(p)
      if (e.isDirectory()) await walk(p)
      else out.set(p, `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.mode}:${e.isFile() ? (await readFile(p)).toString('base64') : ''}`)
    }
  }
  await walk(dir)
  return out
}

describe('the leak scan', () => {
  it('finds every key planted in every client config, .env file, shell history and transcript, and nothing else', async () => {
    // Keys the vault holds: one without any prefix (Lynxo's have none), one revoked, one listed only.
    const lynxo = random(40)
    const revoked = makeKey.lyceum()
    const listedOnly = makeKey.sandbox()
    const home = await plantedHome({ vaultValues: { 'Lynxo CI': lynxo, 'old Lyceum': revoked } })
    const secrets = createKeytarStore({ service: `Keywarden (findings-${randomBytes(4).toString('hex')})` })
    const values = new Map([
      ['k-lynxo', lynxo],
      ['k-old', revoked]
    ])
    const index = await buildVaultIndex({
      keys: [
        meta('k-lynxo', 'Lynxo CI', lynxo, 'active'),
        meta('k-old', 'old Lyceum', revoked, 'revoked'),
        meta('k-listed', 'laptop sandbox', listedOnly, 'active', false)
      ],
      providers: [],
      readValue: async (id) => values.get(id) ?? null,
      fpKey: await fingerprintKey(secrets)
    })
    const before = await snapshot(home.root)
    const progress: number[] = []

    const result = await scanForKeys(
      { home: home.home, platform: 'linux', env: {}, locations: home.locations, folders: [home.project] },
      { index, onProgress: (p) => progress.push(p.bytesDone) }
    )

    // Nothing anywhere was written, touched or created.
    expect(await snapshot(home.root)).toEqual(before)
    const found = result.findings.map((f) => `${f.file}:${f.line}`).sort()
    const expected = home.planted.map((p) => `${p.file}:${p.line}`).sort()
    expect(found).toEqual(expected)
    // No value of any key in anything the scan returns.
    const output = JSON.stringify(result)
    for (const p of home.planted) expect(output).not.toContain(p.value.slice(8))
    expect(progress.at(-1)).toBe(result.bytes)

    const at = (value: string) =>
      result.findings.find((f) => home.planted.some((p) => p.value === value && p.file === f.file && p.line === f.line))!
    // A held key with no prefix at all is found by its keyed fingerprint, with its vault name.
    expect(at(lynxo)).toMatchObject({ key: { id: 'k-lynxo', name: 'Lynxo CI', match: 'exact' }, state: 'active', source: 'env-file' })
    // Committed to git and active: the worst kind.
    expect(at(lynxo).severity).toBe('critical')
    expect(at(lynxo).exposure).toMatchObject({ tracked: true })
    // A revoked key in old history is information only.
    expect(at(revoked)).toMatchObject({ key: { name: 'old Lyceum' }, state: 'revoked', severity: 'info', source: 'shell-history' })
    // Keys the vault does not hold: named by their service, state unknown.
    expect(at(home.keys.aws)).toMatchObject({
      service: 'AWS',
      state: 'unknown',
      severity: 'high',
      masked: 'AKIA' + home.keys.aws.slice(4, 8) + '…'
    })
    // Where in each config: client, server and the field holding it.
    for (const p of home.planted.filter((x) => x.field)) expect(at(p.value).config?.field, p.name).toBe(p.field)
    expect(at(home.keys.github).config).toMatchObject({ client: 'claude-code', scope: 'local', serverName: 'gh', field: 'env' })
    expect(at(home.keys.lybic).config).toMatchObject({ client: 'codex', serverName: 'lybic', field: 'headers' })
    expect(at(home.keys.openaiProject).config).toMatchObject({ client: 'claude-code', scope: 'user', serverName: 'openai' })
  })

  it('finds nothing in a large body of text that only looks secret (ids, hashes, base64, JWTs, examples)', async () => {
    const dir = join((await plantedHome()).root, 'corpus')
    await mkdir(dir, { recursive: true })
    for (let i = 0; i < 20; i++) await writeFile(join(dir, `.env.sample${i}`), nonSecretCorpus(3000))
    const result = await scanForKeys(
      { home: join(dir, 'nohome'), platform: 'linux', env: {}, locations: [], folders: [dir] },
      { index: emptyVaultIndex(randomBytes(32)) }
    )
    expect(result.files).toBe(20)
    expect(result.bytes).toBeGreaterThan(5_000_000)
    expect(result.findings).toEqual([])
  })

  it('leaves out binaries, files over the size limit and links out of a folder, saying why', async () => {
    const { root } = await plantedHome()
    const folder = join(root, 'proj')
    await mkdir(folder, { recursive: true })
    const outside = join(root, 'elsewhere.env')
    await writeFile(outside, `KEY=${makeKey.github()}\n`)
    await symlink(outside, join(folder, '.env.linked'))
    // A linked folder leading out of the tree is not entered either.
    const elsewhere = join(root, 'elsewhere')
    await mkdir(elsewhere, { recursive: true })
    await writeFile(join(elsewhere, '.env'), `KEY=${makeKey.github()}\n`)
    await symlink(elsewhere, join(folder, 'linked-dir'))
    await writeFile(join(folder, '.env.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(makeKey.github())]))
    await writeFile(join(folder, '.env.big'), `${'#'.repeat(5000)}\nK=${makeKey.github()}\n`)
    const result = await scanForKeys(
      { home: join(root, 'nohome'), platform: 'linux', env: {}, locations: [], folders: [folder] },
      { index: emptyVaultIndex(randomBytes(32)), maxFileBytes: 4096 }
    )
    expect(result.findings).toEqual([])
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.file.split('/').pop(), s.reason]))
    expect(reasons['.env.linked']).toMatch(/link to .*elsewhere\.env, outside/)
    expect(reasons['.env.bin']).toBe('binary')
    expect(reasons['.env.big']).toMatch(/larger than/)
  })

  it('finds a key that straddles the boundary between two read chunks, and keys back to back', async () => {
    const { root } = await plantedHome()
    const folder = join(root, 'chunks')
    await mkdir(folder, { recursive: true })
    const keys = Array.from({ length: 40 }, () => makeKey.github())
    // Place keys around every 64 KiB boundary of the first megabyte, and two glued by a comma.
    let text = ''
    for (const key of keys) {
      const boundary = Math.ceil((text.length + 10) / 65536) * 65536
      text += 'a '.repeat(Math.max(0, (boundary - text.length - 20) >> 1)) + `\n${key}\n`
    }
    text += `${keys[0]},${keys[1]}\n`
    await writeFile(join(folder, '.env'), text)
    // A tiny file that is nothing but a key: found at its very first byte.
    await writeFile(join(folder, '.env.tiny'), keys[2]!)
    const result = await scanForKeys(
      { home: join(root, 'nohome'), platform: 'linux', env: {}, locations: [], folders: [folder] },
      { index: emptyVaultIndex(randomBytes(32)) }
    )
    expect(result.findings).toHaveLength(keys.length + 3)
    expect(result.findings.find((f) => f.file.endsWith('.env.tiny'))).toMatchObject({ line: 1, column: 1, offset: 0 })
    const lines = text.split('\n')
    for (const f of result.findings.filter((x) => x.file.endsWith('.env'))) expect(lines[f.line - 1]!.slice(f.column - 1)).toMatch(/^ghp_/)
  })
})
