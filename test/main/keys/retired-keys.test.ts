import { afterEach, describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

describe('a key this vault retired', () => {
  it('`keys validate` on a key rotated away says it is revoked, not that it was created elsewhere', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'CI runner' })
    const done = await ctx.services.rotation.start(key.id)
    expect(done.state, done.error).toBe('done')
    const validated = await cliIn(ctx, 'keys', 'validate', key.id)
    expect(validated.code).toBe(1)
    expect(validated.err).toContain('revoked')
    expect(validated.err).not.toContain('created elsewhere')
    expect(await ctx.api.keys.validate({ keyId: key.id })).toEqual({ valid: false, message: expect.stringContaining('revoked') })
    // Copying or revealing it says the same.
    await expect(ctx.api.keys.reveal({ keyId: key.id })).rejects.toThrow(/revoked/)
  })

  it('a key revoked by the person says so too', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'old laptop' })
    await ctx.api.keys.revoke({ keyId: key.id })
    const result = await ctx.api.keys.validate({ keyId: key.id })
    expect(result.valid).toBe(false)
    expect(result.message).toMatch(/"old laptop" \(sbx_\w{4}…\) is revoked/)
  })
})
