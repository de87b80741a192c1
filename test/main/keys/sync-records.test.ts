import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'

const { ctx, fake } = scoped({ timeoutMs: 500, sandbox: 'off', secrets: 'memory' })
const record = (over: Record<string, unknown>) => ({
  id: '1',
  name: 'laptop',
  prefix: 'lk_abcde',
  created_at: '2026-01-01T00:00:00Z',
  is_active: true,
  ...over
})

describe('what a sync records', () => {
  it('writes when it last synced, so a command that ends and the next start both see it', async () => {
    const c = await ctx()
    // A sync that finds nothing new (here: no keys at all) still leaves its time on disk.
    const s = await fake({ body: JSON.stringify([]) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: 'lk_bearerbearerbearer1' })
    await c.api.keys.sync({})
    const onDisk = JSON.parse(await readFile(c.services.vault.file, 'utf8')) as {
      providers: Array<{ id: string; sync: { lastSyncedAt?: string } }>
    }
    expect(onDisk.providers.find((x) => x.id === p.id)?.sync.lastSyncedAt).toMatch(/^\d{4}-/)
  })

  it('updates the usage of a key clients use, and shows it revoked when the service dropped it, without forgetting it or its clients', async () => {
    const c = await ctx()
    // The service's list at each of the three syncs below.
    const s = await fake(
      { body: JSON.stringify([record({ request_count: 3, last_used_at: '2026-11-01T00:00:00Z' })]) },
      { body: JSON.stringify([record({ request_count: 43, last_used_at: '2026-11-30T00:00:00Z' })]) },
      { body: JSON.stringify([]) }
    )
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: 'lk_bearerbearerbearer1' })
    await c.api.keys.sync({})
    const key = c.services.vault.keys.list().find((k) => k.providerId === p.id)!
    // A client uses the key (its binding recorded as another process would).
    await c.services.vault.bindings.add({
      id: 'b1',
      keyId: key.id,
      client: 'cursor',
      scope: 'global',
      file: `${c.home}/.cursor/mcp.json`,
      serverName: 'lyceum',
      url: 'https://mcp.example/mcp',
      placement: 'inline',
      createdAt: new Date().toISOString()
    })
    await c.api.keys.sync({})
    expect(c.services.vault.keys.get(key.id)).toMatchObject({ requestCount: 43, lastUsedAt: '2026-11-30T00:00:00.000Z', status: 'active' })
    await c.api.keys.sync({})
    expect(c.services.vault.keys.get(key.id)).toMatchObject({ status: 'revoked', goneFromService: true })
    expect(c.services.vault.bindings.list().map((b) => b.id)).toEqual(['b1'])
  })
})
