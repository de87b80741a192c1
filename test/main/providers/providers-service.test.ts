import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { accounts } from '../../../src/main/vault/secret-store'
import { startFaultServer } from '../../support/fault-server'
import { scoped } from '../../support/scoped'
import { startLybicMcp, startLynxo } from './documented-servers'

const { ctx, fake, defer } = scoped({ timeoutMs: 500, sandbox: 'off', secrets: 'memory' })
async function closedUrl() {
  const s = await startFaultServer([{ body: '{}' }])
  await s.close()
  return s.url
}

describe('Test connection for dashboard-managed services makes a real request', () => {
  it('VibeXP: an unauthenticated GET of /api/v1/prompts must answer 401', async () => {
    const c = await ctx()
    const vibexp = await fake({ status: 401, body: '{"detail":"Invalid API Key"}' })
    expect(await c.services.providers.test({ kind: 'vibexp', baseUrl: vibexp.url })).toEqual({
      ok: true,
      message: `VibeXP's API answered at ${vibexp.url}/api/v1/prompts and asks for a key, as documented. Paste a key to check it.`
    })
    expect(vibexp.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/prompts' })
    expect(vibexp.requests[0]?.headers.authorization).toBeUndefined()
    expect(await c.services.providers.test({ kind: 'vibexp', baseUrl: await closedUrl() })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Could not reach VibeXP at http:\/\/127\.0\.0\.1:\d+\. Check the address/)
    })
    vibexp.respond({ status: 200, body: '<html>welcome</html>' })
    expect(await c.services.providers.test({ kind: 'vibexp', baseUrl: vibexp.url })).toMatchObject({
      ok: false,
      message: expect.stringContaining('does not look like VibeXP')
    })
    vibexp.respond({ status: 404, body: '{}' })
    expect(await c.services.providers.test({ kind: 'vibexp', baseUrl: vibexp.url })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Check the API base URL')
    })
  })

  it('Lynxo: GET /v1/jobs without a key, or with a pasted key that is checked and not saved', async () => {
    const c = await ctx()
    const lynxo = await startLynxo({ lnx_full_9f8e7d6c5b4a3928: 'full' })
    defer(lynxo.close)
    expect(await c.services.providers.test({ kind: 'lynxo', baseUrl: lynxo.url })).toMatchObject({
      ok: true,
      message: expect.stringContaining('asks for a key')
    })
    expect(await c.services.providers.test({ kind: 'lynxo', baseUrl: lynxo.url, apiKey: 'lnx_full_9f8e7d6c5b4a3928' })).toEqual({
      ok: true,
      message: 'Lynxo accepts this key.'
    })
    expect(await c.services.providers.test({ kind: 'lynxo', baseUrl: lynxo.url, apiKey: 'lnx_nope_9f8e7d6c5b4a3928' })).toEqual({
      ok: false,
      message: 'Lynxo rejected this key: Invalid API Key'
    })
    const p = await c.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url, apiKey: 'lnx_full_9f8e7d6c5b4a3928' })
    expect(await c.secrets.get(accounts.providerApiKey(p.id))).toBeNull()
  })

  it('Lybic: needs its MCP server URL, which must answer an unauthenticated initialize with 401', async () => {
    const c = await ctx()
    const lybic = await startLybicMcp([])
    defer(lybic.close)
    await expect(c.services.providers.connect({ kind: 'lybic', orgId: 'org-1' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('MCP server')
    })
    expect(await c.services.providers.test({ kind: 'lybic', orgId: 'org-1', mcpUrl: lybic.mcpUrl })).toMatchObject({
      ok: true,
      message: expect.stringContaining("Lybic (org-1)'s MCP server answered")
    })
    expect(lybic.requests[0]).toMatchObject({ method: 'POST', url: '/mcp' })
    expect(await c.services.providers.test({ kind: 'lybic', orgId: 'org-1', mcpUrl: `${await closedUrl()}/mcp` })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Could not reach')
    })
  })
})

describe('editing a provider', () => {
  it('renames it and moves its addresses; the next check goes to the new address', async () => {
    const c = await ctx()
    const old = await fake({ body: '{}' })
    const moved = await fake({ body: '{"jobs":[]}' })
    const p = await c.services.providers.connect({ kind: 'lynxo', baseUrl: old.url })
    const d = c.dispatch
    expect(await d('providers.update', { providerId: p.id, name: 'Lynxo – staging', baseUrl: moved.url })).toMatchObject({
      ok: true,
      data: { name: 'Lynxo – staging', baseUrl: moved.url }
    })
    await c.api.keys.import({ value: 'lnx_9f8e7d6c5b4a39281706', providerId: p.id, name: 'x' })
    expect(old.requests).toEqual([])
    expect(moved.requests).toHaveLength(1)
    expect(await d('providers.update', { providerId: p.id, baseUrl: 'http://elsewhere.example' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' }
    })
  })

  it('changes a Lybic organization and MCP URL, but will not drop the MCP URL', async () => {
    const c = await ctx()
    const p = await c.services.providers.connect({ kind: 'lybic', orgId: 'org-1', mcpUrl: 'https://mcp.lybic.example/mcp' })
    expect(await c.services.providers.update({ providerId: p.id, orgId: 'org-2', mcpUrl: 'https://mcp2.lybic.example/mcp' })).toMatchObject(
      {
        orgId: 'org-2',
        mcpUrl: 'https://mcp2.lybic.example/mcp'
      }
    )
    await expect(c.services.providers.update({ providerId: p.id, mcpUrl: '' })).rejects.toMatchObject({
      message: expect.stringContaining('MCP server')
    })
  })

  it('signs in to Lyceum again with a new password without losing any key value', async () => {
    const c = await ctx('start', { timeoutMs: 5000 })
    const register = (password: string) =>
      fetch(`${c.services.sandbox!.url}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'l@example.com', password })
      })
    await register('first-password')
    const p = await c.services.providers.connect({
      kind: 'lyceum',
      baseUrl: c.services.sandbox!.url,
      email: 'l@example.com',
      password: 'first-password'
    })
    const { key, secret } = await c.services.keys.create({ providerId: p.id, name: 'CI' })
    const session = await c.secrets.get(accounts.providerSession(p.id))
    expect(session).not.toBeNull()
    await c.services.providers.update({ providerId: p.id, password: 'wrong-password' })
    expect(await c.secrets.get(accounts.providerSession(p.id))).toBeNull()
    expect((await c.services.sync.sync(p.id)).providers[0]).toMatchObject({ ok: false, error: 'Incorrect email or password' })
    await c.services.providers.update({ providerId: p.id, password: 'first-password' })
    expect((await c.services.sync.sync(p.id)).providers[0]).toMatchObject({ ok: true, keyCount: 1 })
    expect(await c.services.keys.readSecret(key.id)).toBe(secret)
  })
})

describe('custom providers with a key API', () => {
  const sandboxPaths = { basePath: '/', list: '/auth/api-keys/', validate: '/auth/api-keys/validate' }

  it('are connected with credentials, list keys through the paths they name, and can be tested', async () => {
    const c = await ctx()
    const s = await fake({
      body: JSON.stringify([{ id: 7, name: 'deploy', prefix: 'acme_123', created_at: '2026-01-01T00:00:00Z', is_active: true }])
    })
    const spec = {
      name: 'Acme',
      baseUrl: `${s.url}/v2`,
      header: { name: 'Authorization', scheme: 'Bearer' as const },
      keyPrefix: 'acme_',
      keyApi: { ...sandboxPaths, list: '/keys', revoke: '/keys/{id}' }
    }
    await expect(c.services.providers.connect({ kind: 'custom', custom: spec })).rejects.toMatchObject({
      message: 'Sign in to Acme with your email and password, or paste an existing key to use as the bearer.'
    })
    expect(await c.services.providers.test({ kind: 'custom', custom: spec, apiKey: 'acme_bearer_0123456789' })).toEqual({
      ok: true,
      message: 'Connected to Acme: 1 key listed.'
    })
    expect(s.requests[0]).toMatchObject({
      method: 'GET',
      url: '/v2/keys',
      headers: expect.objectContaining({ authorization: 'Bearer acme_bearer_0123456789' })
    })
    const p = await c.services.providers.connect({ kind: 'custom', custom: spec, apiKey: 'acme_bearer_0123456789' })
    await c.services.sync.sync(p.id)
    expect(c.services.keys.list()).toMatchObject([{ providerId: p.id, name: 'deploy', remoteId: '7', inVault: false }])
    s.respond({ status: 204 })
    await c.services.keys.revoke(c.services.keys.list()[0]!.id)
    expect(s.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/v2/keys/7' })
    expect(c.services.providers.exportCustom(p.id).json).not.toContain('acme_bearer')
  })

  it('are imported from JSON with credentials kept in the keychain only', async () => {
    const c = await ctx()
    const s = await fake({ body: '[]' })
    const json = JSON.stringify({
      keywardenProvider: 1,
      name: 'Acme',
      baseUrl: s.url,
      header: { name: 'Authorization' },
      keyApi: sandboxPaths
    })
    const d = c.dispatch
    const r = await d('providers.importCustom', { json, apiKey: 'acme_bearer_0123456789' })
    expect(r.ok).toBe(true)
    const id = (r as { data: { id: string } }).data.id
    expect(await c.secrets.get(accounts.providerApiKey(id))).toBe('acme_bearer_0123456789')
    expect((await c.services.sync.sync(id)).providers[0]).toMatchObject({ ok: true, keyCount: 0 })
    expect(await readFile(c.services.vault.file, 'utf8')).not.toContain('acme_bearer')
  })

  it('refuse key-API paths that are not paths, and revoke paths without {id}', async () => {
    const c = await ctx()
    const base = { keywardenProvider: 1, name: 'Acme', baseUrl: 'https://api.acme.example', header: { name: 'Authorization' } }
    expect(() => c.services.providers.parseCustom(JSON.stringify({ ...base, keyApi: { list: 'https://evil.example/keys' } }))).toThrow(
      /keyApi.list: Start the path with \//
    )
    expect(() => c.services.providers.parseCustom(JSON.stringify({ ...base, keyApi: { revoke: '/keys' } }))).toThrow(
      /keyApi.revoke: Put \{id\} where the key id goes/
    )
    expect(() => c.services.providers.parseCustom(JSON.stringify({ ...base, keyApi: { lst: '/keys' } }))).toThrow(/keyApi/)
  })
})
