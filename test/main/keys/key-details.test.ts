import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('renaming a key and keeping notes and tags', () => {
  it('keeps a name given in Keywarden through a sync, with its notes and tags', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'service name' })
    const renamed = await ctx.services.keys.update(key.id, {
      name: 'Laptop – Claude Code',
      notes: ' for the agent ',
      tags: ['work', 'work', ' ci ']
    })
    expect(renamed).toMatchObject({ name: 'Laptop – Claude Code', notes: 'for the agent', tags: ['work', 'ci'], namedHere: true })
    await ctx.services.sync.sync('sandbox')
    expect(ctx.services.keys.list().find((k) => k.id === key.id)).toMatchObject({ name: 'Laptop – Claude Code', tags: ['work', 'ci'] })
    const cleared = await ctx.services.keys.update(key.id, { notes: '', tags: [] })
    expect(cleared.notes).toBeUndefined()
    expect(cleared.tags).toBeUndefined()
  })

  it('gives the rotated key its predecessor’s name, notes and tags once the rotation is done', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'CI runner' })
    await ctx.services.keys.update(key.id, { notes: 'GitHub Actions', tags: ['ci'] })
    const done = await ctx.services.rotation.start(key.id)
    expect(done.state).toBe('done')
    const successor = ctx.services.keys.list().find((k) => k.id === done.newKeyId)
    expect(successor).toMatchObject({ name: 'CI runner', notes: 'GitHub Actions', tags: ['ci'], status: 'active' })
    // The service still knows it by the rotation's own name; a sync does not undo the hand-over.
    await ctx.services.sync.sync('sandbox')
    expect(ctx.services.keys.list().find((k) => k.id === done.newKeyId)?.name).toBe('CI runner')
  })
})
