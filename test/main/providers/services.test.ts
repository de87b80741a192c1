import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { recognise } from '../../../src/main/keys/import'
import type { Provider } from '../../../src/shared/schemas'
import { startFaultServer } from '../../support/fault-server'
import { testContext } from '../../support/context'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'

type Ctx = Awaited<ReturnType<typeof testContext>>
const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})
async function ctx(): Promise<Ctx> {
  const c = await testContext({ timeoutMs: 300 })
  cleanup.push(() => c.ctx.close())
  return c
}
async function fake(...responses: Parameters<typeof startFaultServer>[0]) {
  const s = await startFaultServer(responses)
  cleanup.push(s.close)
  return s
}

const VIB = `vib_${'0123456789abcdef'.repeat(4)}`
const provider = (kind: Provider['kind'], extra: Partial<Provider> = {}): Provider => ({
  id: kind,
  kind,
  name: kind,
  createdAt: new Date().toISOString(),
  sync: {},
  ...extra
})

describe('recognising a pasted key by its documented prefix', () => {
  const connected = [provider('vibexp'), provider('lybic', { orgId: 'org1' }), provider('lyceum'), provider('sandbox')]
  const table: Array<[string, string | undefined, RegExp]> = [
    [VIB, 'vibexp', /This is a VibeXP key/],
    [`vib_${'a'.repeat(63)}`, 'vibexp', /length or characters are off/],
    [`vib_${'a'.repeat(65)}`, 'vibexp', /length or characters are off/],
    [`vib_${'a'.repeat(62)}-!`, 'vibexp', /length or characters are off/],
    ['lysk-4f9a8b7c6d5e4f3a2b1c0d9e', 'lybic', /This is a Lybic key/],
    ['lysk-short', 'lybic', /off/],
    ['lk_live_7Hq2mX9pR4vT8wY1zB3n', 'lyceum', /This is a Lyceum key/],
    ['lk_', 'lyceum', /off/],
    [`sbx_${'Ab1'.repeat(16)}`, 'sandbox', /Local sandbox key/],
    ['sk-proj-abcdefghijklmnop', undefined, /does not recognise/],
    // Copied with its header scheme: the key is what follows "Bearer ".
    ['Bearer lk_live_7Hq2mX9pR4vT8wY1zB3n', 'lyceum', /This is a Lyceum key/],
    // The VibeXP guide's own example has 60 characters after vib_.
    ['vib_1234567890abcdef1234567890abcdef1234567890abcdef1234567890ab', 'vibexp', /This is a VibeXP key/],
    ['LK_live_7Hq2mX9pR4vT8wY1zB3n', undefined, /does not recognise/]
  ]
  for (const [value, kind, message] of table) {
    it(`${value.slice(0, 14)}… → ${kind ?? 'unknown'}`, () => {
      const r = recognise(value, connected)
      expect(r.kind).toBe(kind)
      expect(r.message).toMatch(message)
    })
  }
  it('says to connect the service first when it is not connected', () => {
    expect(recognise(VIB, []).message).toBe('This is a VibeXP key, but VibeXP is not connected yet. Connect it first (Providers).')
  })
})

describe('VibeXP (dashboard-managed, checked with GET /api/v1/prompts)', () => {
  it('files a pasted key after VibeXP accepts it, sending the documented Bearer header', async () => {
    const { ctx: c } = await ctx()
    const vibexp = await fake({ status: 200, body: '{"prompts":[]}' })
    const p = await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    const { key } = await c.api.keys.import({ value: VIB, name: 'Cursor – work' })
    expect(key).toMatchObject({ providerId: p.id, prefix: 'vib_0123', status: 'active', inVault: true })
    expect(vibexp.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/prompts' })
    expect(vibexp.requests[0]?.headers.authorization).toBe(`Bearer ${VIB}`)
    expect(await c.secrets.get(`key:${key.id}`)).toBe(VIB)
    expect(c.services.adapterFor(c.services.vault.providers.list().find((x) => x.id === p.id)!).mcpUrl).toBe(
      'https://api.vibexp.io/mcp/v1/common'
    )
  })

  it('refuses a key VibeXP rejects, with its "Invalid API Key" wording, storing nothing', async () => {
    const { ctx: c } = await ctx()
    const vibexp = await fake({ status: 401, body: '{"detail":"Invalid API Key"}' })
    await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    await expect(c.api.keys.import({ value: VIB, name: 'x' })).rejects.toMatchObject({
      code: 'provider-rejected',
      message: 'VibeXP rejected this key: Invalid API Key Nothing was imported.'
    })
    expect(c.services.keys.list()).toEqual([])
  })

  it('reports rate limiting with the wait, a 5xx outage, a timeout and a malformed body clearly', async () => {
    const { ctx: c } = await ctx()
    const vibexp = await fake({ status: 429, headers: { 'retry-after': '3600' }, body: '{"detail":"Rate limit exceeded"}' })
    const p = await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    const check = (value = VIB) => c.services.adapterFor(c.services.vault.providers.list().find((x) => x.id === p.id)!).validateKey(value)
    await expect(check()).rejects.toMatchObject({ code: 'rate-limited', message: 'VibeXP says: rate limit exceeded. Try again in 3600 s.' })
    vibexp.respond({ status: 503, body: 'upstream down' })
    await expect(check()).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining('VibeXP had a server error (HTTP 503)')
    })
    vibexp.respond({ hang: true })
    await expect(check()).rejects.toMatchObject({ code: 'provider-unreachable', message: expect.stringContaining('did not answer') })
    vibexp.respond({ status: 200, body: '<html>' })
    await expect(check()).rejects.toMatchObject({ code: 'provider-bad-response' })
    vibexp.respond({ status: 404, body: '{"detail":"Not Found"}' })
    // A 404 says the check address is wrong, not that the key is: an error, not a verdict.
    await expect(check()).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('VibeXP does not know that resource')
    })
    // 403 is "Unauthorized" in the guide (no permission, account restricted): the key itself is genuine.
    vibexp.respond({ status: 403, body: '{"detail":"Account suspended"}' })
    expect(await check()).toMatchObject({ valid: true, warning: expect.stringContaining('Account suspended') })
    vibexp.respond({ status: 401, body: '{"detail":"Invalid API Key"}' })
    expect(await check()).toMatchObject({ valid: false, revoked: true, message: 'VibeXP rejected this key: Invalid API Key' })
  })
})

describe('Lynxo (Bearer, GET /v1/jobs, permission scopes, 50 active keys)', () => {
  it('imports a key with its scopes and warns before the 50-key limit', async () => {
    const { ctx: c } = await ctx()
    const lynxo = await fake({ status: 200, body: '{"jobs":[]}' })
    const p = await c.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url })
    await writeVaultAsAnotherProcess(c.dataDir, (d) => {
      for (let i = 0; i < 45; i++)
        d.keys.push({
          id: `k${i}`,
          providerId: p.id,
          name: `k${i}`,
          prefix: 'lx',
          createdAt: new Date().toISOString(),
          status: 'active',
          inVault: false,
          addedAt: new Date().toISOString()
        })
    })
    const { key, warnings } = await c.api.keys.import({
      value: 'lnx_9f8e7d6c5b4a39281706',
      providerId: p.id,
      name: 'jobs reader',
      scopes: ['read-only']
    })
    expect(key.scopes).toEqual(['read-only'])
    expect(lynxo.requests[0]).toMatchObject({ method: 'GET', url: '/v1/jobs' })
    expect(lynxo.requests[0]?.headers.authorization).toBe('Bearer lnx_9f8e7d6c5b4a39281706')
    expect(warnings[0]).toContain('at most 50 active keys')
  })

  it('needs the person to choose Lynxo, since its keys have no documented prefix', async () => {
    const { ctx: c } = await ctx()
    await c.services.providers.connect({ kind: 'lynxo' })
    await expect(c.api.keys.import({ value: 'lnx_9f8e7d6c5b4a39281706', name: 'x' })).rejects.toMatchObject({
      message: expect.stringContaining('Choose its provider')
    })
  })
})

describe('Lybic (x-api-key, organization, MCP check)', () => {
  it('needs an organization id, checks keys with an MCP initialize using x-api-key', async () => {
    const { ctx: c } = await ctx()
    await expect(c.services.providers.connect({ kind: 'lybic' })).rejects.toMatchObject({
      message: expect.stringContaining('Organization ID')
    })
    const p = await c.services.providers.connect({ kind: 'lybic', orgId: 'org-42', mcpUrl: c.services.sandbox!.mcpUrl })
    expect(p.orgId).toBe('org-42')
    const adapter = c.services.adapterFor(p)
    expect(adapter.header).toEqual({ name: 'x-api-key' })
    const { secret, key } = await c.services.keys.create({ providerId: 'sandbox', name: 'stands in for a Lybic key' })
    expect(await adapter.validateKey(secret)).toMatchObject({ valid: true })
    await c.services.keys.revoke(key.id)
    expect(p.name).toBe('Lybic (org-42)')
    expect(await adapter.validateKey(secret)).toEqual({
      valid: false,
      revoked: true,
      message: "Lybic (org-42)'s MCP server rejected this key: Invalid API Key."
    })
  })
})

describe('Lyceum (API-managed)', () => {
  it('connects with email and password, tests the connection, and creates keys', async () => {
    const { ctx: c } = await ctx()
    await fetch(`${c.services.sandbox!.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'l@example.com', password: 'lyceum-password' })
    })
    const input = { kind: 'lyceum' as const, baseUrl: c.services.sandbox!.url, email: 'l@example.com', password: 'wrong-password' }
    expect(await c.services.providers.test(input)).toEqual({ ok: false, message: 'Incorrect email or password' })
    expect(await c.services.providers.test({ ...input, password: 'lyceum-password' })).toEqual({
      ok: true,
      message: 'Connected to Lyceum: 0 keys listed.'
    })
    const p = await c.services.providers.connect({ ...input, password: 'lyceum-password' })
    const { key } = await c.services.keys.create({ providerId: p.id, name: 'CI' })
    expect(key.providerId).toBe(p.id)
    expect(await readFile(c.services.vault.file, 'utf8')).not.toContain('lyceum-password')
  })
})

describe('custom providers', () => {
  it('exports as JSON without secrets and imports back; bad descriptions are refused clearly', async () => {
    const { ctx: c } = await ctx()
    const p = await c.services.providers.connect({
      kind: 'custom',
      apiKey: 'should-never-be-exported',
      custom: {
        name: 'Acme',
        header: { name: 'X-Acme-Key', scheme: 'none' },
        keyPrefix: 'acme_',
        checkUrl: 'https://api.acme.example/v1/me',
        mcpUrl: 'https://mcp.acme.example/'
      }
    })
    const { json } = c.services.providers.exportCustom(p.id)
    expect(json).not.toContain('should-never-be-exported')
    expect(JSON.parse(json)).toMatchObject({ keywardenProvider: 1, name: 'Acme', header: { name: 'X-Acme-Key', scheme: 'none' } })
    expect(c.services.providers.parseCustom(json)).toEqual(p.custom)
    expect(() => c.services.providers.parseCustom('{"name": "x"')).toThrow(/not valid JSON/)
    expect(() => c.services.providers.parseCustom('[]')).toThrow(/JSON object/)
    expect(() => c.services.providers.parseCustom('{"name":"x","header":{"name":"bad header!"}}')).toThrow(/header.name/)
    expect(() => c.services.providers.parseCustom('{"name":"x","header":{"name":"k"},"dashboardUrl":"http://insecure"}')).toThrow(/https/)
    expect(recognise('acme_123456789', c.services.vault.providers.list())).toMatchObject({ kind: 'custom', providerIds: [p.id] })
  })
})
