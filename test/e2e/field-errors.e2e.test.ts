import { join } from 'node:path'
import { access } from 'node:fs/promises'
import type { Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

const inView = async (page: Page, el: Locator) => {
  const box = (await el.boundingBox())!
  return box.y >= 0 && box.y + box.height <= page.viewportSize()!.height
}
/** The error said under a field: inside the field's own label, the field marked invalid. */
const errorUnder = (field: Locator) => field.locator('xpath=ancestor::*[self::label or contains(@class, "field")][1]').getByRole('alert')
const RAW_IDS = /serverName|projectPath|baseUrl|custom\.|"name"/

describe('errors next to their field', () => {
  it('Add to… refuses a project folder that does not exist, under that field, and creates nothing', async () => {
    const { harness, page, stray } = await session.open({}, { width: 900, height: 700, colorScheme: 'light' })
    await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'typo' })
    await page.getByRole('row', { name: /typo/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
    const dialog = page.getByRole('dialog', { name: /Add "typo" to a client/ })
    await dialog.getByLabel('Claude Code', { exact: true }).uncheck()
    await dialog.getByLabel('Cursor', { exact: true }).check()
    await dialog.getByLabel('Cursor scope').selectOption('project')
    const missing = join(harness.ctx.home, 'src', 'no-such-project', 'deeper')
    const folder = dialog.getByLabel('Project folder')
    await folder.fill(missing)
    await dialog.getByRole('button', { name: 'Preview change' }).click()
    const error = dialog.locator('#project-cursor-error')
    await error.getByText(/does not exist\. Choose a folder that exists; nothing was written/).waitFor()
    expect(await folder.getAttribute('aria-invalid')).toBe('true')
    expect(await inView(page, error)).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'errors-missing-project-900.png') })
    await expect(access(join(harness.ctx.home, 'src', 'no-such-project'))).rejects.toThrow()
    expect(harness.ctx.services.bindings.list()).toEqual([])

    // A bad server name: said under that client's server name field, in words.
    await dialog.getByLabel('Cursor scope').selectOption('global')
    const server = dialog.getByLabel('Cursor server name')
    await server.fill('bad name!')
    await dialog.getByRole('button', { name: 'Preview change' }).click()
    const nameError = errorUnder(server)
    await nameError.waitFor()
    expect(await nameError.textContent()).not.toMatch(RAW_IDS)
    expect(await nameError.textContent()).not.toMatch(/^Cursor:/)
    expect(await server.getAttribute('aria-invalid')).toBe('true')
    expect(await stray()).toEqual([])
  })

  it('Custom provider and Lyceum say what is wrong under the field, brought into view, in words', async () => {
    const { harness, page, nav } = await session.open({}, { width: 900, height: 700, colorScheme: 'dark' })
    await nav('Providers')
    await page.getByRole('group', { name: 'Service' }).getByRole('button', { name: 'Custom…' }).click()
    const custom = page.getByRole('form', { name: 'Connect a custom provider' })
    await custom.getByRole('button', { name: 'Connect', exact: true }).click()
    const name = custom.getByLabel(/^Name/)
    const error = errorUnder(name)
    await error.waitFor()
    expect(await error.textContent()).toMatch(/^Name /)
    expect(await error.textContent()).not.toMatch(RAW_IDS)
    expect(await name.getAttribute('aria-invalid')).toBe('true')
    expect(await inView(page, error)).toBe(true)
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'errors-custom-name-900.png') })
    await name.fill('Acme')
    await custom.getByLabel(/^Header(?! name)/).fill('')
    await custom.getByRole('button', { name: 'Connect', exact: true }).click()
    const headerError = errorUnder(custom.getByLabel(/^Header(?! name)/))
    await headerError.getByText(/^Header name /).waitFor()
    expect(await inView(page, headerError)).toBe(true)

    await page.getByRole('group', { name: 'Service' }).getByRole('button', { name: 'Lyceum' }).click()
    const lyceum = page.getByRole('form', { name: 'Connect Lyceum' })
    const base = lyceum.getByLabel('API base URL')
    await base.fill('not a url')
    await lyceum.getByRole('button', { name: 'Connect', exact: true }).click()
    const baseError = errorUnder(base)
    await baseError.getByText(/^API base URL must be a web address/).waitFor()
    expect(await inView(page, baseError)).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'errors-lyceum-base-900.png') })
    expect(harness.ctx.services.providers.list().map((p) => p.kind)).toEqual(['sandbox'])
  })
})
