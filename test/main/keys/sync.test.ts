import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'

const { ctx, fake } = scoped({ timeoutMs: 500, sandbox: 'off', secrets: 'memory' })
const record = (over: Record<string, unknown>) => ({
  id: '1',
  name: 'k',
  prefix: 'lk_abcde',
  created_at: '2026-01-01T00:00:00Z',
  is_active: true,
  ...over
})

describe('sync against a hostile key list', () => {
  it('keeps keys with an empty or 300-character name, and never stores more than 8 characters of a prefix', async () => {
    const c = await ctx()
    const secretInPrefix = 'lk_SECRETSECRETSECRETSECRET'
    const s = await fake({
      body: JSON.stringify([
        record({ id: 1, name: '' }),
        record({ id: 2, name: 'x'.repeat(300) }),
        record({ id: 3, name: 'whole key', prefix: secretInPrefix })
      ])
    })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: 'lk_bearerbearerbearer1' })
    const d = c.dispatch
    expect(await d('keys.sync', {})).toMatchObject({ ok: true, data: { providers: [{ providerId: p.id, ok: true, keyCount: 3 }] } })
    const keys = c.services.keys.list()
    expect(keys.map((k) => k.name)).toEqual(['Unnamed key (lk_abcde…)', 'x'.repeat(200), 'whole key'])
    expect(keys.map((k) => k.prefix)).toEqual(['lk_abcde', 'lk_abcde', 'lk_SECRE'])
    expect(await readFile(c.services.vault.file, 'utf8')).not.toContain('SECRETSECRET')
  })

  it("records one provider's failure on it and still syncs the others", async () => {
    const c = await ctx()
    const good = await fake({ body: JSON.stringify([record({ name: 'listed' })]) })
    // A description saved by an older version that now counts as unsafe: building its adapter fails.
    await writeVaultAsAnotherProcess(c.dataDir, (d) => {
      d.providers.push({
        id: 'custom-old',
        kind: 'custom',
        name: 'Old custom',
        custom: {
          name: 'Old custom',
          baseUrl: 'http://keys.example.net',
          header: { name: 'Authorization', scheme: 'Bearer' },
          keyApi: { basePath: '/' }
        },
        createdAt: new Date().toISOString(),
        sync: {}
      })
    })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: good.url, apiKey: 'lk_bearerbearerbearer1' })
    const result = await c.services.sync.sync()
    expect(result.providers).toMatchObject([
      { providerId: 'custom-old', ok: false, error: expect.stringContaining('not safe to use') },
      { providerId: p.id, ok: true, keyCount: 1 }
    ])
    const stored = c.services.vault.providers.list()
    expect(stored.find((x) => x.id === 'custom-old')?.sync).toMatchObject({
      error: expect.stringContaining('not safe to use'),
      errorCode: 'invalid-input'
    })
    expect(stored.find((x) => x.id === p.id)?.sync).toEqual({ lastSyncedAt: expect.any(String) })
    expect(c.services.keys.list().map((k) => k.name)).toEqual(['listed'])
  })
})
