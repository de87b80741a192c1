import { afterEach, describe, expect, it } from 'vitest'
import type { AppEvent, RotationProgress } from '../../../src/shared/contract'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('rotation progress', () => {
  it('streams each step and each client’s update as it happens, naming clients but never a key', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'streamed' })
    for (const client of ['cursor', 'claude-code'] as const) {
      const p = await ctx.services.bindings.preview({
        keyId: key.id,
        client,
        scope: client === 'cursor' ? 'global' : 'user',
        placement: 'inline'
      })
      await ctx.services.bindings.apply(p.planId)
    }
    const events: RotationProgress[] = []
    const seen: AppEvent[] = []
    ctx.onEvent((e) => {
      seen.push(e)
      if (e.type === 'rotation.progress') events.push(e)
    })
    const done = await ctx.services.rotation.start(key.id)
    expect(done.state).toBe('done')
    const states = events.filter((e) => !e.bindingId).map((e) => e.state)
    expect(states).toEqual(expect.arrayContaining(['creating', 'created', 'bindings-updated', 'verified', 'done']))
    expect(states.indexOf('created')).toBeLessThan(states.indexOf('done'))
    for (const b of ctx.services.bindings.list()) {
      const mine = events.filter((e) => e.bindingId === b.id).map((e) => e.bindingStatus)
      expect(mine).toEqual(['working', 'updated'])
    }
    expect(events.find((e) => e.bindingStatus === 'working')?.message).toMatch(/^Updating (Cursor|Claude Code) \(/)
    expect(events.every((e) => e.rotationId === done.id && e.keyId === key.id)).toBe(true)
    // Progress arrives before the call that started the rotation returns, and never carries a value.
    const newValue = await ctx.secrets.get(`key:${done.newKeyId}`)
    expect(JSON.stringify(seen)).not.toContain(secret)
    expect(JSON.stringify(seen)).not.toContain(newValue!)
  })
})
