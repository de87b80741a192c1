import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import type { UserPresence } from '../../../src/main/settings/user-presence'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

/** Touch ID cannot run here: this stands in for the shell's check, answering as told. */
function presence(answers: boolean[]): UserPresence & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    available: async () => ({ available: true, label: 'Touch ID' }),
    confirm: async (reason) => {
      asked.push(reason)
      return answers.shift() ?? false
    }
  }
}

describe('settings', () => {
  it('keeps preferences in the vault file and shows where the data lives', async () => {
    const { ctx } = await testContext({ sandbox: 'off' })
    close = ctx.close
    const before = await ctx.services.settings.get()
    expect(before).toMatchObject({ theme: 'system', clipboardSeconds: 30, requireUnlock: false, dataDir: ctx.dataDir })
    expect(before.keychainBackend).toMatch(/Secret Service/)
    expect(before.unlock.available).toBe(false)
    await ctx.services.settings.update({ theme: 'light', clipboardSeconds: 12 })
    expect(ctx.services.vault.settings.get()).toMatchObject({ theme: 'light', clipboardSeconds: 12 })
    await expect(ctx.services.settings.update({ requireUnlock: true })).rejects.toThrow(/offers no account check/)
  })

  it('clears the clipboard after the time chosen in settings', async () => {
    const { ctx, clipboard } = await testContext()
    close = ctx.close
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'clip' })
    await ctx.services.settings.update({ clipboardSeconds: 7 })
    expect(await ctx.services.keys.copy(key.id)).toEqual({ clearAfterSeconds: 7 })
    expect(clipboard.peek()).toMatch(/^sbx_/)
  })

  it('asks for the account check before a reveal or a copy, and gives nothing when it is cancelled', async () => {
    const check = presence([false, true])
    const { ctx, clipboard } = await testContext({ presence: check })
    close = ctx.close
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'guarded' })
    await ctx.services.settings.update({ requireUnlock: true })
    await expect(ctx.services.keys.reveal(key.id)).rejects.toThrow(/cancelled/)
    expect(await ctx.services.keys.reveal(key.id)).toEqual({ secret })
    await expect(ctx.services.keys.copy(key.id)).rejects.toThrow(/cancelled/)
    expect(clipboard.peek()).toBe('')
    expect(check.asked).toEqual(['reveal the key "guarded"', 'reveal the key "guarded"', 'copy the key "guarded"'])
  })
})
