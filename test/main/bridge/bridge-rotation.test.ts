import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { acmeKey, boundSandboxKey, boundTestServer, bridgeCommand, connectThroughBridge } from './world'

const world = scoped()

describe('a client session through the bridge across a rotation', () => {
  it('stays usable while the sandbox key is rotated and the old key revoked: every call succeeds', async () => {
    const { ctx, key, secret, binding } = await boundSandboxKey(world.defer)
    const { client, stderr } = await connectThroughBridge(bridgeCommand(ctx, binding.id), world.defer)
    const calls: Array<Promise<string>> = []
    let rotating = true
    // The client keeps calling, as an agent mid-task does, before, during and after the rotation.
    const loop = (async () => {
      while (rotating) {
        calls.push(client.callTool({ name: 'whoami' }).then((r) => JSON.stringify(r)))
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    await new Promise((r) => setTimeout(r, 200))
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
    const sandbox = ctx.services.adapterFor(ctx.services.vault.providers.list().find((p) => p.kind === 'sandbox')!)
    expect((await sandbox.validateKey(secret)).valid).toBe(false)
    await new Promise((res) => setTimeout(res, 300))
    rotating = false
    await loop
    const results = await Promise.all(calls)
    expect(results.length).toBeGreaterThan(10)
    const newKey = ctx.services.vault.keys.list().find((k) => k.id === r.newKeyId)!
    expect(results[0]).toContain(key.prefix)
    expect(results.at(-1)).toContain(newKey.prefix)
    expect(stderr.join('')).not.toContain(secret)
  }, 60_000)

  it('moves a session tied to the old key to the new one, replaying the client initialize, without the client noticing', async () => {
    const { ctx, server, key, first, command } = await boundTestServer(world.defer)
    const { client, stderr } = await connectThroughBridge(command, world.defer)
    expect(JSON.stringify(await client.callTool({ name: 'whoami' }))).toContain(first.slice(0, 8))
    const second = acmeKey()
    server.accept(second)
    const r = await ctx.services.rotation.start(key.id)
    const waiting = await ctx.services.rotation.provideNewKey(r.id, second)
    expect(waiting.state, waiting.error).toBe('awaiting-revoke')
    server.revoke(first)
    expect((await ctx.services.rotation.confirmRevoked(r.id)).state).toBe('done')
    const initializes = server.initializes()
    expect(JSON.stringify(await client.callTool({ name: 'whoami' }))).toContain(second.slice(0, 8))
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'still one session' } }))).toContain('still one')
    expect(server.initializes()).toBe(initializes + 1)
    expect(stderr.join('')).not.toContain(first)
    expect(stderr.join('')).not.toContain(second)
  }, 60_000)
})
