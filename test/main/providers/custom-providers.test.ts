import { describe, expect, it } from 'vitest'
import { recognise } from '../../../src/main/keys/import'
import { providerCatalog } from '../../../src/main/providers/catalog'
import { reservedKeyPrefixes } from '../../../src/shared/schemas'
import { scoped } from '../../support/scoped'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'

const { ctx, fake } = scoped({ timeoutMs: 300, sandbox: 'off', secrets: 'memory' })
const VIB = `vib_${'0123456789abcdef'.repeat(4)}`
const describeJson = (extra: Record<string, unknown>) =>
  JSON.stringify({ keywardenProvider: 1, name: 'Helper', header: { name: 'Authorization' }, ...extra })

describe('custom provider descriptions cannot capture built-in keys', () => {
  it('refuses a key prefix shorter than 3 characters or overlapping a built-in prefix', async () => {
    const c = await ctx()
    const d = c.dispatch
    for (const [prefix, why] of [
      ['v', /at least 3 characters/],
      ['vi', /at least 3 characters/],
      ['vib', /overlaps the built-in vib_ prefix/],
      ['lk_live', /overlaps the built-in lk_ prefix/],
      ['LYSK-x', /overlaps the built-in lysk- prefix/],
      ['sbx_', /overlaps the built-in sbx_ prefix/]
    ] as const) {
      const r = await d('providers.importCustom', { json: describeJson({ keyPrefix: prefix, checkUrl: 'https://api.example.com/me' }) })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(why) } })
    }
    expect(c.services.vault.providers.list()).toEqual([])
  })

  it('knows every built-in prefix as reserved', () => {
    for (const info of Object.values(providerCatalog)) if (info.keyPrefix) expect(reservedKeyPrefixes).toContain(info.keyPrefix)
  })

  it('refuses plain http to another host for the check, MCP and base URLs, but allows this machine', async () => {
    const c = await ctx()
    for (const field of ['checkUrl', 'mcpUrl', 'baseUrl']) {
      expect(() => c.services.providers.parseCustom(describeJson({ [field]: 'http://collector.example.net/steal' }))).toThrow(/https:\/\//)
    }
    expect(
      c.services.providers.parseCustom(describeJson({ checkUrl: 'http://127.0.0.1:8080/me', mcpUrl: 'http://localhost:9/mcp' }))
    ).toMatchObject({ checkUrl: 'http://127.0.0.1:8080/me' })
    const d = c.dispatch
    expect(await d('providers.connect', { kind: 'vibexp', baseUrl: 'http://api.vibexp.example' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' }
    })
  })

  it('files a VibeXP key under VibeXP even when an older vault holds a custom provider with prefix "v"', async () => {
    const c = await ctx()
    const evil = await fake({ body: '{}' })
    const vibexp = await fake({ body: '{"prompts":[]}' })
    const p = await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    // Written as an older version would have accepted it.
    await writeVaultAsAnotherProcess(c.dataDir, (d) => {
      d.providers.push({
        id: 'custom-old',
        kind: 'custom',
        name: 'Helper',
        custom: { name: 'Helper', header: { name: 'Authorization', scheme: 'Bearer' }, keyPrefix: 'v', checkUrl: `${evil.url}/steal` },
        createdAt: new Date().toISOString(),
        sync: {}
      })
    })
    expect(recognise(VIB, c.services.vault.providers.list())).toMatchObject({ kind: 'vibexp', providerIds: [p.id] })
    const { key } = await c.api.keys.import({ value: VIB, name: 'x' })
    expect(key.providerId).toBe(p.id)
    expect(evil.requests).toEqual([])
    // And the unsafe description itself is never used to send a key.
    await expect(c.api.keys.import({ value: 'vzz_0123456789abcdef', providerId: 'custom-old', name: 'y' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('not safe to use')
    })
    expect(evil.requests).toEqual([])
  })

  it('refuses a key API without a base URL instead of treating the service as dashboard-managed', async () => {
    const c = await ctx()
    expect(() => c.services.providers.parseCustom(describeJson({ keyApi: { basePath: '/v1' } }))).toThrow(
      /baseUrl: A key API needs the service's base URL/
    )
  })

  it('reads a description without connecting it, so the window can show where keys go', async () => {
    const c = await ctx()
    const d = c.dispatch
    const r = await d('providers.parseCustom', { json: describeJson({ keyPrefix: 'acme_', checkUrl: 'https://api.acme.example/me' }) })
    expect(r).toMatchObject({ ok: true, data: { name: 'Helper', checkUrl: 'https://api.acme.example/me' } })
    expect(c.services.vault.providers.list()).toEqual([])
  })

  it('never sends a built-in service key to a custom provider, even when chosen; Local sandbox keys may stand in', async () => {
    const c = { ctx: await ctx('start') }
    const check = await fake({ body: '{}' })
    const p = await c.ctx.services.providers.connect({
      kind: 'custom',
      custom: { name: 'Acme', header: { name: 'Authorization', scheme: 'Bearer' }, checkUrl: `${check.url}/me` }
    })
    await expect(c.ctx.api.keys.import({ value: VIB, providerId: p.id, name: 'x' })).rejects.toMatchObject({
      message: 'This looks like a VibeXP key, not a Acme key. Choose VibeXP instead.'
    })
    expect(check.requests).toEqual([])
    const { value: secret } = await c.ctx.services.adapterFor(c.ctx.services.vault.providers.list().find((x) => x.id === 'sandbox')!)
      .createKey!({
      name: 'stand-in'
    })
    expect((await c.ctx.api.keys.import({ value: secret, providerId: p.id, name: 'stand-in for Acme' })).key.providerId).toBe(p.id)
  })
})
