import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { accounts } from '../../../src/main/vault/secret-store'
import { startFaultServer } from '../../support/fault-server'
import { testContext } from '../../support/context'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})
async function ctx(overrides: Parameters<typeof testContext>[0] = {}) {
  const c = await testContext({ timeoutMs: 300, sandbox: 'off', ...overrides })
  cleanup.push(() => c.ctx.close())
  return c.ctx
}
async function fake(...responses: Parameters<typeof startFaultServer>[0]) {
  const s = await startFaultServer(responses)
  cleanup.push(s.close)
  return s
}
const BEARER = 'lk_bearerbearerbearer1'
const token = (access: string, expiresIn = 900) => ({
  body: JSON.stringify({ access_token: access.padEnd(20, '.'), refresh_token: 'refresh-token-0001', expires_in: expiresIn })
})
const record = (over: Record<string, unknown> = {}) => ({
  id: 'k1',
  name: 'CI',
  prefix: 'lk_abcde',
  created_at: new Date().toISOString(),
  is_active: true,
  ...over
})

describe('Lyceum management API errors', () => {
  it("records each failure of the key list on the provider in the documents' words, and changes nothing", async () => {
    const c = await ctx()
    const s = await fake({ body: JSON.stringify([record()]) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    await c.services.sync.sync(p.id)
    const before = c.services.keys.list()
    const cases: Array<[Parameters<typeof startFaultServer>[0], string, RegExp]> = [
      [[{ status: 401, body: '{"detail":"Invalid API Key"}' }], 'unauthorized', /^Invalid API Key$/],
      [
        [{ status: 403, body: '{"detail":"Not enough permissions"}' }],
        'provider-rejected',
        /Lyceum refused the request: Not enough permissions/
      ],
      [[{ status: 404, body: '{"detail":"Not Found"}' }], 'not-found', /Lyceum does not know that resource/],
      [
        [{ status: 429, headers: { 'retry-after': '120' }, body: '{"detail":"Rate limit exceeded"}' }],
        'rate-limited',
        /Lyceum says: rate limit exceeded. Try again in 120 s./
      ],
      [[{ status: 500, body: '{}' }], 'provider-unreachable', /Lyceum had a server error \(HTTP 500\)/],
      [[{ hang: true }], 'provider-unreachable', /Lyceum did not answer within 0.3 s/],
      [[{ body: '{"keys": "not a list"}' }], 'provider-bad-response', /Lyceum sent an unexpected response/],
      [
        [{ body: JSON.stringify([record(), record({ id: { $gt: '' } })]) }],
        'provider-bad-response',
        /Lyceum sent an unexpected response \(1\.id: /
      ],
      [[{ body: JSON.stringify([record({ is_active: 'yes' })]) }], 'provider-bad-response', /\(0\.is_active: /]
    ]
    for (const [responses, code, message] of cases) {
      s.respond(...responses)
      const r = await c.services.sync.sync(p.id)
      expect(r.providers[0]).toMatchObject({ ok: false, error: expect.stringMatching(message) })
      expect(c.services.vault.providers.list().find((x) => x.id === p.id)?.sync).toMatchObject({
        errorCode: code,
        lastSyncedAt: expect.any(String)
      })
      expect(c.services.keys.list()).toEqual(before)
    }
  })

  it('reads validate answers: {"valid":false}, a 404 about the key and a 422 are "invalid"; a bare 404 means a wrong address', async () => {
    const c = await ctx()
    const s = await fake({ body: '{"valid":false}' })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    const check = () =>
      c.services.adapterFor(c.services.vault.providers.list().find((x) => x.id === p.id)!).validateKey('lk_candidatecandidate1')
    expect(await check()).toEqual({ valid: false, message: 'Lyceum rejected this key: Invalid API Key' })
    expect(s.requests[0]).toMatchObject({ method: 'POST', url: '/auth/api-keys/validate', body: '{"api_key":"lk_candidatecandidate1"}' })
    s.respond({ status: 404, body: '{"detail":"API key not found"}' })
    expect(await check()).toMatchObject({ valid: false, message: expect.stringContaining('API key not found') })
    s.respond({ status: 422, body: '{"detail":"api_key: malformed"}' })
    expect(await check()).toMatchObject({ valid: false })
    s.respond({ status: 404, body: '{"detail":"Not Found"}' })
    await expect(check()).rejects.toMatchObject({
      code: 'not-found',
      message: `Lyceum has no key check at ${s.url}/auth/api-keys/validate. Check the API base URL in the provider's settings.`
    })
    s.respond({ body: '{"valid":true,"key_name":"CI","user_id":7}' })
    expect(await check()).toMatchObject({ valid: true, keyName: 'CI' })
  })
})

describe('Lyceum sign-in with email and password', () => {
  it('keeps the session in the keychain, not in vault.json, and refreshes it before it expires', async () => {
    const c = await ctx()
    const s = await fake(token('access-one', 30), { body: '[]' }, token('access-two'), { body: '[]' })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, email: 'me@example.com', password: 'pw-pw-pw' })
    await c.services.sync.sync(p.id)
    const stored = JSON.parse((await c.secrets.get(accounts.providerSession(p.id)))!) as { accessToken: string; refreshToken: string }
    expect(stored).toMatchObject({ accessToken: expect.stringContaining('access-one'), refreshToken: 'refresh-token-0001' })
    expect(await readFile(c.services.vault.file, 'utf8')).not.toContain('access-one')
    // 30 s left is inside the refresh margin: the next call refreshes first.
    await c.services.sync.sync(p.id)
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /auth/login',
      'GET /auth/api-keys/',
      'POST /auth/refresh',
      'GET /auth/api-keys/'
    ])
    expect(s.requests[3]?.headers.authorization).toBe(`Bearer ${'access-two'.padEnd(20, '.')}`)
    expect(JSON.parse((await c.secrets.get(accounts.providerSession(p.id)))!)).toMatchObject({
      accessToken: expect.stringContaining('access-two')
    })
  })

  it('signs in again when the refresh is refused with a 400, instead of staying stuck', async () => {
    const c = await ctx()
    const s = await fake(
      token('access-one', 1),
      { body: '[]' },
      { status: 400, body: '{"detail":"invalid refresh token"}' },
      token('access-new'),
      { body: '[]' }
    )
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, email: 'me@example.com', password: 'pw-pw-pw' })
    await c.services.sync.sync(p.id)
    expect((await c.services.sync.sync(p.id)).providers[0]).toMatchObject({ ok: true })
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /auth/login',
      'GET /auth/api-keys/',
      'POST /auth/refresh',
      'POST /auth/login',
      'GET /auth/api-keys/'
    ])
    expect(JSON.parse((await c.secrets.get(accounts.providerSession(p.id)))!)).toMatchObject({
      accessToken: expect.stringContaining('access-new')
    })
  })

  it('refreshes a session after it expired, once for calls made at the same time', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z')
    const c = await ctx({ now: () => new Date(clock) })
    const s = await fake(token('access-one', 900), { body: '[]' }, token('access-two'), { body: '[]' })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, email: 'me@example.com', password: 'pw-pw-pw' })
    const adapter = c.services.adapterFor(p)
    await adapter.listKeys!()
    clock += 20 * 60_000
    await Promise.all([adapter.listKeys!(), adapter.listKeys!(), adapter.listKeys!()])
    expect(s.requests.filter((r) => r.url === '/auth/refresh')).toHaveLength(1)
    expect(s.requests.filter((r) => r.url === '/auth/login')).toHaveLength(1)
  })

  it('keeps a refresh that failed for want of a network as an error, without signing in again', async () => {
    const c = await ctx()
    const s = await fake(token('access-one', 1), { body: '[]' }, { status: 503, body: '{}' })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, email: 'me@example.com', password: 'pw-pw-pw' })
    await c.services.sync.sync(p.id)
    expect((await c.services.sync.sync(p.id)).providers[0]).toMatchObject({ ok: false, error: expect.stringContaining('server error') })
    expect(s.requests.filter((r) => r.url === '/auth/login')).toHaveLength(1)
  })
})

describe('creating a Lyceum key when the answer does not arrive', () => {
  it('sends the create once, finds the key the service made anyway, revokes it and says so', async () => {
    const c = await ctx()
    const s = await fake({ hang: true }, { body: JSON.stringify([record({ id: 'orphan', name: 'deploy bot' })]) }, { status: 204 })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    await expect(c.services.keys.create({ providerId: p.id, name: 'deploy bot' })).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining(
        'Lyceum created "deploy bot" but its value never reached Keywarden (Lyceum did not answer within 0.3 s.'
      )
    })
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /auth/api-keys/',
      'GET /auth/api-keys/',
      'DELETE /auth/api-keys/orphan'
    ])
    expect(c.services.keys.list()).toEqual([])
  })

  it('says no key was created when the service lists none by that name', async () => {
    const c = await ctx()
    const s = await fake({ status: 502, body: '{}' }, { body: JSON.stringify([record({ name: 'older key' })]) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    await expect(c.services.keys.create({ providerId: p.id, name: 'deploy bot' })).rejects.toMatchObject({
      message: expect.stringMatching(/HTTP 502.*No key was created\.$/)
    })
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('tries once more after a dropped connection when the service lists no such key, and keeps the value', async () => {
    const c = await ctx()
    const created = { ...record({ id: 'new', name: 'deploy bot' }), api_key: 'lk_newnewnewnewnewnew01' }
    const s = await fake({ destroy: true }, { body: '[]' }, { body: JSON.stringify(created) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    const { key, secret } = await c.services.keys.create({ providerId: p.id, name: 'deploy bot' })
    expect(secret).toBe('lk_newnewnewnewnewnew01')
    expect(key).toMatchObject({ remoteId: 'new', inVault: true })
    expect(s.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST'])
  })

  it('after a dropped toggle, asks the list instead of toggling again blindly', async () => {
    const c = await ctx()
    const s = await fake({ body: JSON.stringify([record({ id: 'k1', is_active: true })]) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: s.url, apiKey: BEARER })
    await c.services.sync.sync(p.id)
    const key = c.services.keys.list()[0]!
    // The first toggle reached the service before the connection dropped: the list already says inactive.
    s.respond({ destroy: true }, { body: JSON.stringify([record({ id: 'k1', is_active: false })]) })
    expect((await c.services.keys.setActive(key.id, false)).status).toBe('inactive')
    expect(s.requests.slice(-2).map((r) => r.method)).toEqual(['PATCH', 'GET'])
  })
})
