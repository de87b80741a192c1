import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { startLynxo } from './documented-servers'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})
const FULL = 'lnx_full_9f8e7d6c5b4a3928'
const READ = 'lnx_read_9f8e7d6c5b4a3928'
const SCOPED = 'lnx_cust_9f8e7d6c5b4a3928'

async function setup() {
  const waits: number[] = []
  const { ctx } = await testContext({ timeoutMs: 300, sandbox: 'off', sleep: async (ms) => void waits.push(ms) })
  cleanup.push(() => ctx.close())
  const lynxo = await startLynxo({ [FULL]: 'full', [READ]: 'read-only', [SCOPED]: 'custom-without-jobs' })
  cleanup.push(lynxo.close)
  const provider = await ctx.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url })
  const adapter = () => ctx.services.adapterFor(ctx.services.vault.providers.list().find((p) => p.id === provider.id)!)
  return { ctx, lynxo, provider, adapter, waits }
}

describe('Lynxo against a server speaking its documented API (GET /v1/jobs, Bearer)', () => {
  it('imports full and read-only keys with the documented header, and a custom-scope key answered 403 with a warning', async () => {
    const { ctx, lynxo, provider } = await setup()
    const full = await ctx.api.keys.import({ value: FULL, providerId: provider.id, name: 'deploys', scopes: ['full'] })
    expect(full.warnings).toEqual([])
    expect(lynxo.requests[0]).toMatchObject({
      method: 'GET',
      url: '/v1/jobs',
      headers: expect.objectContaining({ authorization: `Bearer ${FULL}` })
    })
    await ctx.api.keys.import({ value: READ, providerId: provider.id, name: 'dashboards', scopes: ['read-only'] })
    // 403 means "authenticated, but not allowed to read jobs": a genuine key, kept with a caveat.
    const scoped = await ctx.api.keys.import({ value: SCOPED, providerId: provider.id, name: 'webhooks', scopes: ['custom'] })
    expect(scoped.key).toMatchObject({ status: 'active', scopes: ['custom'] })
    expect(scoped.warnings[0]).toContain(
      'Lynxo accepted the key but refused /v1/jobs with it (Lynxo refused the request: Insufficient permissions: jobs:read'
    )
    expect(ctx.services.keys.list().map((k) => k.scopes)).toEqual([['full'], ['read-only'], ['custom']])
  })

  it('refuses a key Lynxo answers 401 with its "Invalid API Key" wording, storing nothing', async () => {
    const { ctx, provider } = await setup()
    await expect(
      ctx.api.keys.import({ value: 'lnx_typo_9f8e7d6c5b4a3928', providerId: provider.id, providerChosen: true, name: 'x' })
    ).rejects.toMatchObject({
      code: 'provider-rejected',
      message: 'Lynxo rejected this key: Invalid API Key Nothing was imported.'
    })
    expect(ctx.services.keys.list()).toEqual([])
  })

  it('waits out a short Retry-After, reports a long one, and reports 5xx, timeouts, malformed bodies and a wrong address clearly', async () => {
    const { lynxo, adapter, waits } = await setup()
    lynxo.fail({ status: 429, headers: { 'retry-after': '2' }, body: '{"message":"Rate limit exceeded"}' })
    expect(await adapter().validateKey(FULL)).toMatchObject({ valid: true })
    expect(waits).toEqual([2000])
    lynxo.fail({ status: 429, headers: { 'retry-after': '3600' }, body: '{"message":"Rate limit exceeded"}' })
    await expect(adapter().validateKey(FULL)).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'Lynxo says: rate limit exceeded. Try again in 3600 s.'
    })
    lynxo.fail({ status: 502 }, { status: 503 }, { status: 500 }, { status: 500 })
    await expect(adapter().validateKey(FULL)).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining('Lynxo had a server error (HTTP 500)')
    })
    lynxo.fail({ hang: true }, { hang: true }, { hang: true }, { hang: true })
    await expect(adapter().validateKey(FULL)).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining('Lynxo did not answer within 0.3 s')
    })
    lynxo.fail({ status: 200, body: '<html>jobs</html>' })
    await expect(adapter().validateKey(FULL)).rejects.toMatchObject({
      code: 'provider-bad-response',
      message: 'Lynxo sent a response that is not JSON. Nothing was changed; try again later.'
    })
    lynxo.fail({ status: 404, body: '{"message":"Not Found"}' })
    await expect(adapter().validateKey(FULL)).rejects.toMatchObject({ code: 'not-found' })
  })
})

describe('Lynxo keys revoked in the dashboard', () => {
  it('are marked revoked at the next sync, checked at most once a day', async () => {
    const { ctx, lynxo, provider } = await setup()
    const { key } = await ctx.api.keys.import({ value: FULL, providerId: provider.id, name: 'deploys' })
    expect(ctx.services.vault.providers.list().find((p) => p.id === provider.id)?.sync.lastSyncedAt).toBeUndefined()
    await ctx.services.sync.sync(provider.id)
    const checks = lynxo.requests.length
    expect(ctx.services.vault.providers.list().find((p) => p.id === provider.id)?.sync.lastSyncedAt).toEqual(expect.any(String))
    lynxo.revoke(FULL)
    await ctx.services.sync.sync(provider.id)
    // Checked this very day: no second request, still active.
    expect(lynxo.requests.length).toBe(checks)
    expect(ctx.services.keys.list()[0]?.status).toBe('active')
    await ctx.services.vault.keys.recordCheck(ctx.services.vault.keys.list()[0]!.id, {
      at: new Date(Date.now() - 25 * 3600_000),
      dead: false
    })
    const result = await ctx.services.sync.sync(provider.id)
    expect(result.providers[0]).toMatchObject({ ok: true })
    expect(ctx.services.keys.list()[0]).toMatchObject({ id: key.id, status: 'revoked', goneFromService: true })
  })

  it('are marked revoked when "Check with service" gets a 401, not when Lynxo is unreachable', async () => {
    const { ctx, lynxo, provider } = await setup()
    const { key } = await ctx.api.keys.import({ value: FULL, providerId: provider.id, name: 'deploys' })
    lynxo.fail({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 })
    await expect(ctx.services.keys.validate(key.id)).rejects.toMatchObject({ code: 'provider-unreachable' })
    const failed = await ctx.services.sync.sync(provider.id).then(() => ctx.services.keys.list()[0])
    expect(failed?.status).toBe('active')
    lynxo.revoke(FULL)
    expect(await ctx.services.keys.validate(key.id)).toEqual({
      valid: false,
      message: 'Lynxo rejected this key: Invalid API Key Keywarden marked it as revoked.'
    })
    expect(ctx.services.keys.list()[0]).toMatchObject({ status: 'revoked', goneFromService: true })
  })
})

describe('Lynxo rotation and the 50-active-keys limit', () => {
  it('refuses to start a rotation that would need a 51st active key, saying what to do', async () => {
    const { ctx, provider } = await setup()
    const { key } = await ctx.api.keys.import({ value: FULL, providerId: provider.id, name: 'deploys', scopes: ['full'] })
    // 49 more active keys made elsewhere and listed in the vault: 50 in all.
    for (let i = 0; i < 49; i++)
      await ctx.services.vault.keys.add({ ...key, id: `other-${i}`, name: `other ${i}`, fingerprint: undefined, inVault: false })
    await expect(ctx.services.rotation.start(key.id)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('at most 50 active keys')
    })
    expect(ctx.services.rotation.list()).toEqual([])
    // With one of them revoked, the rotation can begin (and waits for the new key from the dashboard).
    await ctx.services.vault.keys.setStatus('other-0', 'revoked')
    expect((await ctx.services.rotation.start(key.id)).state).toBe('awaiting-new-key')
  })
})
