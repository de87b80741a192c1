import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/main/sandbox/server'
import { windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

describe('palette and toasts', () => {
  it('reaches Findings and Activity and scans from the palette; Ctrl+K over an open dialog leaves it as it is', async () => {
    const { harness, page } = await session.open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'guarded' })
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    const run = async (query: string, option: RegExp) => {
      await page.keyboard.press('Control+k')
      await page.keyboard.type(query)
      await palette.getByRole('option', { name: option }).waitFor()
      await page.keyboard.press('Enter')
      await palette.waitFor({ state: 'detached' })
    }
    await run('go to f', /Go to Findings/)
    await page.getByRole('heading', { name: 'Findings', exact: true }).waitFor()
    await run('activity', /Go to Activity/)
    await page.getByRole('heading', { name: 'Activity', exact: true }).waitFor()
    const scans = harness.answered.filter((m) => m === 'findings.scan').length
    await run('scan', /Scan for keys in plain text/)
    await page.getByRole('heading', { name: 'Findings', exact: true }).waitFor()
    await expect.poll(() => harness.answered.filter((m) => m === 'findings.scan').length).toBe(scans + 1)

    await page.getByRole('navigation').getByRole('button', { name: 'Keys' }).click()
    await page.getByRole('row', { name: /guarded/ }).click()
    await page.getByRole('complementary', { name: 'Key guarded' }).getByRole('button', { name: 'Revoke' }).click()
    const confirm = page.getByRole('dialog', { name: 'Revoke "guarded"?' })
    await confirm.waitFor()
    await page.keyboard.press('Control+k')
    await page.keyboard.type('new key')
    await page.keyboard.press('Enter')
    // No palette over it, nothing replaced it, the key is untouched.
    expect(await palette.count()).toBe(0)
    expect(await page.getByRole('dialog', { name: 'New key' }).count()).toBe(0)
    await confirm.waitFor()
    expect(harness.ctx.services.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
  })

  it('toasts a sync failure again after it was dismissed, fixed and broke again', async () => {
    const { harness, page } = await session.open()
    const port = Number(new URL(harness.ctx.services.sandbox!.url).port)
    await harness.ctx.services.sandbox!.close()
    const sync = () => page.getByRole('button', { name: 'Sync', exact: true, disabled: false }).click()
    const toast = page
      .locator('.toasts')
      .getByRole('alert')
      .filter({ hasText: /Local sandbox could not be reached/ })
    await sync()
    await toast.waitFor()
    await toast.getByRole('button', { name: 'Dismiss' }).click()
    await toast.waitFor({ state: 'detached' })
    const again = await startSandbox({ dataDir: harness.ctx.dataDir, port })
    await sync()
    await page.getByText('Synced Local sandbox.').waitFor()
    await again.close()
    await sync()
    await toast.waitFor()
  })

  it('the rotation wizard shows one disabled Rotating… while it runs, and a wizard opened again follows that rotation', async () => {
    const { harness, page } = await session.open({}, {}, { delayMs: { 'rotations.start': 3000 } })
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'leaver' })
    await page.getByRole('row', { name: /leaver/ }).click()
    const details = page.getByRole('complementary', { name: 'Key leaver' })
    await details.getByRole('button', { name: 'Rotate' }).click()
    const wizard = page.getByRole('dialog', { name: 'Rotate "leaver"' })
    await wizard.getByRole('button', { name: 'Start rotation' }).click()
    const foot = wizard.locator('.dialog-foot')
    await foot.getByRole('button', { name: 'Rotating…' }).waitFor()
    expect(await foot.getByRole('button', { name: /Resume|Roll back/ }).count()).toBe(0)
    await page.keyboard.press('Escape')
    await wizard.waitFor({ state: 'detached' })
    await details.getByRole('button', { name: 'Rotate' }).click()
    // The reopened wizard follows the rotation that is running: no fresh Start, and it ends Done.
    await wizard.getByRole('button', { name: 'Done' }).waitFor({ timeout: 20_000 })
    expect(await wizard.getByRole('button', { name: 'Start rotation' }).count()).toBe(0)
    expect(await wizard.getByRole('alert').count()).toBe(0)
    expect(
      harness.ctx.services.rotation
        .list()
        .filter((r) => r.keyId === key.id)
        .map((r) => r.state)
    ).toEqual(['done'])
  })
})
