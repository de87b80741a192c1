import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { startLybicMcp } from './documented-servers'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c()
})
const KEY = 'lysk-4f9a8b7c6d5e4f3a2b1c0d9e'
const OTHER = 'lysk-0000aaaa1111bbbb2222cccc'

async function setup() {
  const { ctx } = await testContext({ timeoutMs: 1000, sandbox: 'off' })
  cleanup.push(() => ctx.close())
  const lybic = await startLybicMcp([KEY])
  cleanup.push(lybic.close)
  const provider = await ctx.services.providers.connect({
    kind: 'lybic',
    orgId: 'org-42',
    mcpUrl: lybic.mcpUrl,
    baseUrl: 'https://api.lybic.example'
  })
  const adapter = () => ctx.services.adapterFor(ctx.services.vault.providers.list().find((p) => p.id === provider.id)!)
  return { ctx, lybic, provider, adapter }
}

describe('Lybic against an MCP server that takes the key only in x-api-key', () => {
  it('imports a key after an MCP initialize with x-api-key, and keeps the organization and base URL as metadata', async () => {
    const { ctx, lybic, provider } = await setup()
    const { key } = await ctx.api.keys.import({ value: KEY, name: 'agents' })
    expect(key.providerId).toBe(provider.id)
    expect(lybic.requests[0]?.headers['x-api-key']).toBe(KEY)
    expect(lybic.requests.every((r) => r.headers.authorization === undefined)).toBe(true)
    expect(ctx.services.vault.providers.list().find((p) => p.id === provider.id)).toMatchObject({
      orgId: 'org-42',
      baseUrl: 'https://api.lybic.example',
      name: 'Lybic (org-42)'
    })
  })

  it('refuses a key the server answers 401, saying the MCP server rejected it', async () => {
    const { ctx } = await setup()
    await expect(ctx.api.keys.import({ value: OTHER, name: 'x' })).rejects.toMatchObject({
      code: 'provider-rejected',
      message: "Lybic (org-42)'s MCP server rejected this key: Invalid API Key. Nothing was imported."
    })
  })

  it('says the MCP server is out of reach, rate limited or failing — never that the key was rejected', async () => {
    const { lybic, adapter } = await setup()
    lybic.fail({ status: 429, headers: { 'retry-after': '30' }, body: '{"message":"Too Many Requests"}' })
    await expect(adapter().validateKey(KEY)).rejects.toMatchObject({ code: 'rate-limited' })
    lybic.fail({ status: 502, body: 'bad gateway' })
    await expect(adapter().validateKey(KEY)).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining('The key was not judged')
    })
    await lybic.close()
    await expect(adapter().validateKey(KEY)).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringMatching(/Lybic \(org-42\)'s MCP server.*The key was not judged/s)
    })
  })

  it('marks a key deleted in the dashboard as revoked at the next sync and on "Check with service"', async () => {
    const { ctx, lybic, provider } = await setup()
    const { key } = await ctx.api.keys.import({ value: KEY, name: 'agents' })
    lybic.revoke(KEY)
    await ctx.services.vault.keys.recordCheck(ctx.services.vault.keys.list()[0]!.id, {
      at: new Date(Date.now() - 25 * 3600_000),
      dead: false
    })
    await ctx.services.sync.sync(provider.id)
    expect(ctx.services.keys.list()[0]).toMatchObject({ id: key.id, status: 'revoked', goneFromService: true })
    expect(ctx.services.vault.providers.list().find((p) => p.id === provider.id)?.sync).toEqual({ lastSyncedAt: expect.any(String) })
  })
})
