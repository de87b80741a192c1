import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFaultServer } from '../support/fault-server'
import { windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

describe('pasting a key', () => {
  it('never sends a key to the service it was first recognised for once the text changed shape; only to one picked after', async () => {
    const vibexp = await startFaultServer([{ body: '{"prompts":[]}' }])
    try {
      const { harness, page } = await session.open()
      const p = await harness.ctx.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
      await page.getByRole('button', { name: 'Paste a key' }).first().click()
      const paste = page.getByRole('dialog', { name: 'Paste a key' })
      const provider = paste.getByLabel('Provider')
      await paste.getByLabel('Key').fill(`vib_${'a'.repeat(60)}`)
      await paste.getByText('This is a VibeXP key.').waitFor()
      await expect.poll(() => provider.inputValue()).toBe(p.id)
      // The person edits the text into something of no known shape.
      await paste.getByLabel('Key').fill('zq-9f8e7d6c5b4a39281706abcdef')
      await paste.getByText(/does not recognise this key/).waitFor()
      await expect.poll(() => provider.inputValue()).toBe('')
      await paste.getByLabel('Name').fill('edited')
      await paste.getByRole('button', { name: 'Check and import' }).click()
      await paste
        .getByRole('alert')
        .getByText(/Choose its provider/)
        .waitFor()
      expect(vibexp.requests).toEqual([])
      // Picked by the person after the change: now the service's check decides.
      await provider.selectOption(p.id)
      await paste.getByRole('button', { name: 'Check and import' }).click()
      await paste.waitFor({ state: 'detached' })
      expect(vibexp.requests).toHaveLength(1)
      expect(harness.ctx.services.keys.list()).toMatchObject([{ name: 'edited', providerId: p.id }])
    } finally {
      await vibexp.close()
    }
  })
})
