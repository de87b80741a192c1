import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('connecting from the window', () => {
  it('tries the password first and saves nothing when the service refuses it', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    await fetch(`${ctx.services.sandbox!.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'me@example.com', password: 'right-password' })
    })
    const { dispatch } = ctx
    const input = { kind: 'lyceum', baseUrl: ctx.services.sandbox!.url, email: 'me@example.com' }
    const wrong = await dispatch('providers.connect', { ...input, password: 'wrong-password' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'provider-rejected', message: expect.stringMatching(/Nothing was saved/) } })
    expect(ctx.services.providers.list().map((p) => p.kind)).toEqual(['sandbox'])
    const right = await dispatch('providers.connect', { ...input, password: 'right-password' })
    expect(right).toMatchObject({ ok: true, data: { kind: 'lyceum' } })
    expect(ctx.services.providers.list().map((p) => p.kind)).toEqual(['sandbox', 'lyceum'])
  })
})
