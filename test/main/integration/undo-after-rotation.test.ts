import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { accounts } from '../../../src/main/vault/secret-store'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function world() {
  const c = await testContext()
  close = c.ctx.close
  const { ctx } = c
  const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'cursor key' })
  const oldValue = (await ctx.api.keys.reveal({ keyId: key.id })).secret
  const preview = await ctx.api.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })
  const { binding } = await ctx.api.bindings.apply({ planId: preview.planId })
  return { ctx, key, oldValue, binding }
}

/** Vault and file agree: the binding's key is the one in the file, and it is not revoked. */
async function expectAgreement(w: Awaited<ReturnType<typeof world>>) {
  const [binding] = await w.ctx.api.bindings.list()
  const key = (await w.ctx.api.keys.list()).find((k) => k.id === binding!.keyId)!
  expect(key.status).toBe('active')
  const value = (await w.ctx.secrets.get(accounts.key(key.id)))!
  const text = await readFile(binding!.file, 'utf8')
  if (binding!.placement === 'inline') expect(text).toContain(value)
  expect(text).not.toContain(w.oldValue)
}

describe('undo after a rotation', () => {
  it('refuses to put the revoked key back into a file the rotation updated, and says why', async () => {
    const w = await world()
    const done = await w.ctx.api.rotations.start({ keyId: w.key.id })
    expect(done.state, done.error).toBe('done')
    const rotationWrite = done.bindings[0]!.changeId!
    const before = await readFile(w.binding.file, 'utf8')
    await expect(w.ctx.api.changes.undo({ changeId: rotationWrite })).rejects.toThrow(
      /would put "cursor key" \(sbx_\w{4}…\) back into .*mcp\.json, but that key is revoked/
    )
    expect(await readFile(w.binding.file, 'utf8')).toBe(before)
    await expectAgreement(w)
  })

  it('refuses to undo a move to the keychain that would bring back the rotated-away key in plain text', async () => {
    const w = await world()
    const move = await w.ctx.api.bindings.previewMove({ bindingId: w.binding.id })
    const moved = await w.ctx.api.bindings.apply({ planId: move.planId })
    const done = await w.ctx.api.rotations.start({ keyId: w.key.id })
    expect(done.state, done.error).toBe('done')
    const before = await readFile(w.binding.file, 'utf8')
    await expect(w.ctx.api.changes.undo({ changeId: moved.changeId })).rejects.toThrow(/that key is revoked/)
    expect(await readFile(w.binding.file, 'utf8')).toBe(before)
    await expectAgreement(w)
  })

  it('still undoes a change whose key is the one the binding holds now', async () => {
    const w = await world()
    const move = await w.ctx.api.bindings.previewMove({ bindingId: w.binding.id })
    const moved = await w.ctx.api.bindings.apply({ planId: move.planId })
    await w.ctx.api.changes.undo({ changeId: moved.changeId })
    expect(await readFile(w.binding.file, 'utf8')).toContain(w.oldValue)
    expect((await w.ctx.api.bindings.list())[0]).toMatchObject({ placement: 'inline', keyId: w.key.id })
  })
})
