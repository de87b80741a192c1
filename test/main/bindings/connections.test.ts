import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('servers as connections', () => {
  it('tests a server with MCP initialize: accepted with the live key, rejected once the key is revoked', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'probe me' })
    const p = await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })
    await ctx.services.bindings.apply(p.planId)
    const ref = { client: 'cursor' as const, scope: 'global', serverName: p.serverName }
    expect(await ctx.services.testServer(ref)).toMatchObject({ outcome: 'accepted' })
    await writeVaultAsAnotherProcess(ctx.dataDir, (d) => {
      d.bindings = []
    })
    // Without the binding the key comes from the file's own header, as Cursor would send it.
    expect(await ctx.services.testServer(ref)).toMatchObject({ outcome: 'accepted' })
    await ctx.services.keys.revoke(key.id)
    expect(await ctx.services.testServer(ref)).toMatchObject({ outcome: 'rejected', message: expect.stringMatching(/rejected the key/) })
  })

  it('tests a keychain bridge entry by starting the bridge and listing the tools: accepted, then rejected once the key is revoked', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'bridged' })
    const p = await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'bridge' })
    const { binding } = await ctx.services.bindings.apply(p.planId)
    const ref = { client: 'cursor' as const, scope: 'global', serverName: binding.serverName }
    expect(await ctx.services.testServer(ref)).toMatchObject({
      outcome: 'accepted',
      message: expect.stringMatching(/accepted the key through Keywarden's bridge \(\d+ tools?\)/)
    })
    await ctx.services.keys.revoke(key.id)
    expect(await ctx.services.testServer(ref)).toMatchObject({ outcome: 'rejected' })
  })

  it('moves a plain-text entry to the keychain helper in one change that undo reverses', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'plain' })
    const p = await ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'inline' })
    const { binding } = await ctx.services.bindings.apply(p.planId)
    const file = binding.file
    expect(await readFile(file, 'utf8')).toContain(secret)
    const move = await ctx.services.bindings.previewMove(binding.id)
    expect(move).toMatchObject({ placement: 'helper', serverName: binding.serverName })
    expect(move.diff).not.toContain(secret)
    const { changeId } = await ctx.services.bindings.apply(move.planId)
    const after = await readFile(file, 'utf8')
    expect(after).not.toContain(secret)
    expect(JSON.parse(after).mcpServers[binding.serverName].headersHelper).toMatch(/mcp-headers/)
    expect(ctx.services.bindings.list()).toMatchObject([{ placement: 'helper', serverName: binding.serverName, keyId: key.id }])
    await ctx.services.bindings.undo(changeId)
    expect(await readFile(file, 'utf8')).toContain(secret)
    // The binding follows the file again, so a rotation would rewrite the key there.
    expect(ctx.services.bindings.list()).toMatchObject([{ placement: 'inline', serverName: binding.serverName }])
    const cursor = await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })
    const c = await ctx.services.bindings.apply(cursor.planId)
    // Cursor has no helper; its entry moves to the keychain bridge, a stdio server with nothing secret in the file.
    const toBridge = await ctx.services.bindings.previewMove(c.binding.id)
    expect(toBridge).toMatchObject({ placement: 'bridge', serverName: c.binding.serverName })
    await ctx.services.bindings.apply(toBridge.planId)
    const cursorFile = await readFile(c.binding.file, 'utf8')
    expect(cursorFile).not.toContain(secret)
    expect(JSON.parse(cursorFile).mcpServers[c.binding.serverName].args).toContain('mcp-bridge')
    // An entry already out of the file has nowhere further to move.
    const moved = ctx.services.bindings.list().find((b) => b.client === 'cursor')!
    await expect(ctx.services.bindings.previewMove(moved.id)).rejects.toThrow(/already keeps its key out of the file/)
  })
})
