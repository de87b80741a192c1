import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function inject(
  ctx: Awaited<ReturnType<typeof testContext>>['ctx'],
  keyId: string,
  client: 'cursor' | 'claude-code',
  placement: 'inline' | 'helper'
) {
  const preview = await ctx.api.bindings.preview({ keyId, client, scope: client === 'cursor' ? 'global' : 'user', placement })
  return (await ctx.api.bindings.apply({ planId: preview.planId })).changeId
}

const backupFiles = async (dataDir: string) => (await readdir(join(dataDir, 'backups'))).filter((n) => n.endsWith('.kwb'))

describe('backups of revoked keys', () => {
  it('go when the person revokes the key they held', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'short-lived' })
    const added = await inject(ctx, key.id, 'cursor', 'inline')
    const removal = await ctx.api.bindings.remove({ bindingId: (await ctx.api.bindings.list())[0]!.id })
    const removed = 'changeId' in removal ? removal.changeId : 'none: the entry was written'
    const { key: other } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'kept' })
    const unrelated = await inject(ctx, other.id, 'cursor', 'inline')
    expect((await ctx.api.changes.list()).map((c) => c.id)).toEqual([unrelated, removed, added])
    await ctx.api.keys.revoke({ keyId: key.id })
    expect((await ctx.api.changes.list()).map((c) => c.id)).toEqual([unrelated])
    expect(await backupFiles(ctx.dataDir)).toEqual([`${unrelated}.kwb`])
  })

  it('go when a rotation finishes, except those that also hold the new key or no key', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'rotated' })
    const added = await inject(ctx, key.id, 'cursor', 'inline')
    const helper = await inject(ctx, key.id, 'claude-code', 'helper')
    const done = await ctx.api.rotations.start({ keyId: key.id })
    expect(done.state, done.error).toBe('done')
    const ids = (await ctx.api.changes.list()).map((c) => c.id)
    expect(ids).not.toContain(added)
    expect(ids).toContain(helper)
    const rotationWrite = done.bindings.find((e) => e.changeId)?.changeId
    expect(rotationWrite).toBeDefined()
    expect(ids).toContain(rotationWrite)
    expect(await backupFiles(ctx.dataDir)).not.toContain(`${added}.kwb`)
  })
})
