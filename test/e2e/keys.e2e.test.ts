import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startHarness, type Harness } from './harness'
import { createKeytarStore } from '../../src/main/vault/secret-store'

let browser: Browser
let harness: Harness
let page: Page
const errors: string[] = []

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})
async function open() {
  harness = await startHarness()
  page = await browser.newPage()
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await harness.show(page)
}
afterEach(async () => {
  await page?.close()
  await harness?.close()
})

async function createKey(name: string) {
  await page.getByRole('button', { name: 'New key' }).click()
  const dialog = page.getByRole('dialog', { name: 'New key' })
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByRole('button', { name: 'Create' }).click()
  const created = page.getByRole('dialog', { name: 'Key created' })
  await created.getByRole('button', { name: 'Reveal' }).waitFor()
  return { created }
}

describe('keys window (built renderer, real main-process handlers)', () => {
  it('creates a key without putting its value in the window until Reveal or Copy is pressed, lists it, copies it through main', async () => {
    await open()
    await expect(page.getByText('No keys yet')).toBeTruthy()
    await page.getByText('No keys yet').waitFor()
    const { created } = await createKey('Work laptop – Claude Code')
    const [stored] = harness.ctx.services.keys.list()
    const secret = (await harness.secrets.get(`key:${stored!.id}`))!
    expect(secret).toMatch(/^sbx_[A-Za-z0-9]{48}$/)
    // Nothing the window holds has the value: not the page, not any answer it received.
    expect(await page.content()).not.toContain(secret)
    expect(harness.received.filter((r) => JSON.stringify(r).includes(secret))).toHaveLength(0)
    await created.getByRole('button', { name: 'Reveal' }).click()
    expect((await created.getByTestId('revealed-secret').textContent())!.trim()).toBe(secret)
    await created.getByRole('button', { name: 'Hide' }).click()
    await created.getByTestId('revealed-secret').waitFor({ state: 'detached' })
    await created.getByRole('button', { name: 'Copy' }).click()
    await created
      .getByRole('status')
      .getByText(/Copied — the clipboard clears in 30 s/)
      .waitFor()
    expect(harness.clipboard.peek()).toBe(secret)
    await created.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByTestId('revealed-secret').count()).resolves.toBe(0)
    const row = page.getByRole('row', { name: /Work laptop – Claude Code/ })
    await row.waitFor()
    expect(await row.textContent()).toContain(`${secret.slice(0, 8)}…`)
    expect(await page.content()).not.toContain(secret)
    // Only the answer to Reveal carried the value to the window.
    const carrying = harness.received.filter((r) => JSON.stringify(r).includes(secret))
    expect(carrying).toHaveLength(1)
    expect(harness.answered[harness.received.findIndex((r) => JSON.stringify(r).includes(secret))]).toBe('keys.reveal')
    console.log('page errors:', errors)
    expect(errors).toEqual([])
  })

  it('deactivates, reactivates and revokes a key with confirmation', async () => {
    await open()
    const { created } = await createKey('CI runner')
    await created.getByRole('button', { name: 'Done' }).click()
    const details = page.getByRole('complementary', { name: 'Key CI runner' })
    await details.getByRole('button', { name: 'Deactivate' }).click()
    await details.locator('.badge.inactive').waitFor()
    await details.getByRole('button', { name: 'Check with service' }).click()
    await page.getByText(/rejected this key: Invalid API Key/).waitFor()
    await details.getByRole('button', { name: 'Activate' }).click()
    await details.locator('.badge.active').waitFor()
    await details.getByRole('button', { name: 'Revoke' }).click()
    const confirm = page.getByRole('dialog', { name: 'Revoke "CI runner"?' })
    await confirm.getByText('This cannot be undone').waitFor()
    await confirm.getByRole('button', { name: 'Revoke key' }).click()
    await page
      .getByRole('row', { name: /CI runner/ })
      .locator('.badge.revoked')
      .waitFor()
    const key = harness.ctx.services.keys.list().find((k) => k.name === 'CI runner')!
    expect(key.status).toBe('revoked')
    expect(await harness.ctx.secrets.get(`key:${key.id}`)).toBeNull()
  })

  it('says inside the dialog when the sandbox is down, then names it in a toast after a sync, and clears that once it answers', async () => {
    await open()
    const port = Number(new URL(harness.ctx.services.sandbox!.url).port)
    await harness.ctx.services.sandbox!.close()
    await page.getByRole('button', { name: 'New key' }).click()
    const dialog = page.getByRole('dialog', { name: 'New key' })
    await dialog.getByLabel('Name').fill('offline key')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog
      .getByRole('alert')
      .filter({ hasText: /Could not reach Local sandbox at http:\/\/127\.0\.0\.1:\d+/ })
      .waitFor()
    expect(await page.locator('.toasts').getByRole('alert').count()).toBe(0)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached', timeout: 5000 })
    await page.getByRole('button', { name: 'Sync', exact: true }).click({ timeout: 5000 })
    const toast = page
      .locator('.toasts')
      .getByRole('alert')
      .filter({ hasText: /Local sandbox could not be reached/ })
    await toast.waitFor()
    expect(await toast.locator('.source').textContent()).toBe('Local sandbox')
    await page.getByText(/Showing the saved list: Local sandbox could not be reached/).waitFor()
    // A second sync that fails the same way does not stack a second toast.
    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    await page.getByRole('button', { name: 'Sync', exact: true, disabled: false }).waitFor()
    expect(
      await page
        .locator('.toasts .toast')
        .filter({ hasText: /Local sandbox could not be reached/ })
        .count()
    ).toBe(1)
    // The cause goes away: the sandbox answers again, a sync succeeds, the toast clears itself.
    const { startSandbox } = await import('../../src/main/sandbox/server')
    const again = await startSandbox({ dataDir: harness.ctx.dataDir, port })
    try {
      await page.getByRole('button', { name: 'Sync', exact: true }).click()
      await toast.waitFor({ state: 'detached' })
    } finally {
      await again.close()
    }
    expect(harness.ctx.services.vault.keys.list()).toEqual([])
  })

  it('works from the keyboard: open the dialog, Escape closes it and returns focus, / searches, arrows move', async () => {
    await open()
    for (const name of ['alpha', 'beta', 'gamma']) {
      const { created } = await createKey(name)
      await created.getByRole('button', { name: 'Done' }).click()
    }
    await page.getByRole('button', { name: 'New key' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'New key' })
    await dialog.waitFor()
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Work laptop – Claude Code')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New key')

    await page.locator('body').click({ position: { x: 5, y: 400 } })
    await page.keyboard.press('/')
    await page.keyboard.type('gam')
    await page.getByTestId('key-count').filter({ hasText: '1 key of 3' }).waitFor()
    await page.getByLabel('Search keys').fill('')
    await page.getByRole('row', { name: /alpha/ }).click()
    await page.keyboard.press('ArrowDown')
    await page.getByRole('complementary', { name: 'Key beta' }).waitFor()
  })

  it('filters by status and provider', async () => {
    await open()
    for (const name of ['one', 'two']) {
      const { created } = await createKey(name)
      await created.getByRole('button', { name: 'Done' }).click()
    }
    await page.getByRole('complementary', { name: 'Key two' }).getByRole('button', { name: 'Deactivate' }).click()
    await page.getByRole('complementary', { name: 'Key two' }).locator('.badge.inactive').waitFor()
    await page.getByLabel('Status').selectOption('inactive')
    await page.getByTestId('key-count').filter({ hasText: '1 key of 2' }).waitFor()
    expect(await page.getByRole('row', { name: /one/ }).count()).toBe(0)
  })

  it('says plainly when no keychain is available, and creates no key it could not keep', async () => {
    // keytar failing to load is what a Linux machine without a Secret Service looks like.
    const secrets = createKeytarStore({
      platform: 'linux',
      load: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))
    })
    harness = await startHarness({ secrets })
    page = await harness.show(await browser.newPage())
    await page
      .getByRole('alert')
      .filter({ hasText: 'No keychain available.' })
      .filter({ hasText: /apt install gnome-keyring/ })
      .waitFor()
    expect(await page.getByRole('alert').filter({ hasText: 'No keychain available.' }).count()).toBe(1)
    await page.getByRole('button', { name: 'New key' }).click()
    const dialog = page.getByRole('dialog', { name: 'New key' })
    await dialog.getByLabel('Name').fill('nowhere to keep it')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog
      .getByRole('alert')
      .filter({ hasText: /never stores key values anywhere else/ })
      .waitFor()
    expect(harness.ctx.services.keys.list()).toEqual([])
  })

  it('keeps what is typed into New key before the providers arrive, and creates the key once they do', async () => {
    harness = await startHarness({}, { delayMs: { 'providers.list': 2500 } })
    page = await harness.show(await browser.newPage())
    await page.keyboard.press('Control+n')
    const dialog = page.getByRole('dialog', { name: 'New key' })
    await dialog.waitFor()
    expect(await dialog.getByLabel('Provider').isDisabled()).toBe(true)
    // Typed and submitted at once, as a person who knows the keys does: nothing lands on a button.
    await page.keyboard.type('early bird')
    await page.keyboard.press('Enter')
    expect(await dialog.getByRole('button', { name: 'Creating…' }).isDisabled()).toBe(true)
    expect(harness.answered).not.toContain('providers.list')
    await page.getByRole('dialog', { name: 'Key created' }).getByRole('button', { name: 'Add to a client…' }).waitFor()
    expect(harness.ctx.services.keys.list().map((k) => [k.name, k.providerId])).toEqual([['early bird', 'sandbox']])
  })
})
