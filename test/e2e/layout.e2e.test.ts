import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

const SIZES = [
  { width: 1280, height: 800, colorScheme: 'dark' as const },
  { width: 900, height: 700, colorScheme: 'light' as const }
]

/** Whether the element's box is wholly inside the window. */
const inView = async (page: Page, el: Locator) => {
  const box = (await el.boundingBox())!
  const size = page.viewportSize()!
  return box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width
}
/** Content wider than its box (cut off or scrolled sideways). */
const overflowX = (el: Locator) => el.evaluate((e) => e.scrollWidth - e.clientWidth)

describe('layout', () => {
  for (const size of SIZES) {
    it(`Add to… fits its dialog and opens at its title, with every client ticked (${size.width}×${size.height}, ${size.colorScheme})`, async () => {
      const { harness, page } = await session.open({}, size)
      await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'everywhere' })
      await page.getByRole('row', { name: /everywhere/ }).click()
      await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
      const dialog = page.getByRole('dialog', { name: /Add "everywhere" to a client/ })
      await dialog.getByLabel('Claude Code placement').waitFor()
      const title = dialog.getByRole('heading', { name: /Add "everywhere"/ })
      expect(await inView(page, title)).toBe(true)
      expect(await inView(page, dialog.getByRole('button', { name: 'Preview change' }))).toBe(true)
      await page.screenshot({ path: join(SHOTS, `layout-add-open-${size.width}.png`) })
      for (const box of await dialog.getByRole('checkbox').all()) await box.check()
      await dialog.getByRole('button', { name: /Preview \d+ changes/ }).waitFor()
      expect(await overflowX(dialog)).toBeLessThanOrEqual(0)
      for (const select of await dialog.locator('select').all()) {
        const [s, d] = [(await select.boundingBox())!, (await dialog.boundingBox())!]
        expect(s.x + s.width).toBeLessThanOrEqual(d.x + d.width)
      }
      expect(await inView(page, title)).toBe(true)
      await page.screenshot({ path: join(SHOTS, `layout-add-all-${size.width}.png`) })
      await dialog.getByRole('button', { name: /Preview \d+ changes/ }).click()
      await dialog.getByRole('button', { name: /Write \d+ files/ }).waitFor()
      expect(await inView(page, title)).toBe(true)
      expect(await overflowX(dialog)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(SHOTS, `layout-add-preview-${size.width}.png`) })
      await dialog.getByRole('button', { name: /Write \d+ files/ }).click()
      await dialog.getByRole('list', { name: 'Next steps' }).waitFor()
      const toast = page.locator('.toasts .toast').filter({ hasText: /Added "everywhere" to \d+ clients\./ })
      await toast.waitFor()
      // The toast stays small: it covers neither the list nor the details panel's buttons.
      expect((await toast.boundingBox())!.height).toBeLessThan(100)
      await page.screenshot({ path: join(SHOTS, `layout-add-written-${size.width}.png`) })
    })

    it(`keeps every column's sort and every cell reachable with the details panel open (${size.width}×${size.height})`, async () => {
      const { harness, page } = await session.open({}, size)
      await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'a key with a rather long name for the list' })
      await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'second' })
      await page.getByRole('row', { name: /second/ }).click()
      await page.getByRole('complementary', { name: 'Key second' }).waitFor()
      const grid = page.getByRole('grid', { name: 'Keys' })
      expect(await overflowX(grid)).toBeLessThanOrEqual(0)
      const rows = grid.locator('.table-body .row')
      for (const row of await rows.all()) expect(await overflowX(row)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(SHOTS, `layout-keys-details-${size.width}.png`) })
      // Every sort: through its visible column header, or the Sort by list when columns are hidden.
      const sortBy = page.getByLabel('Sort by')
      for (const column of ['Name', 'Prefix', 'Provider', 'Created', 'Last used', 'Expires', 'Status', 'Age']) {
        const header = grid.getByRole('columnheader', { name: new RegExp(`^${column}`), includeHidden: true })
        if (await header.isVisible()) await header.getByRole('button').click()
        else await sortBy.selectOption({ label: column })
        expect(await header.getAttribute('aria-sort')).toBe('ascending')
      }
      // Dates hidden from the list are in the details.
      const details = page.getByRole('complementary', { name: 'Key second' })
      for (const term of ['Created', 'Last used']) await details.getByText(term, { exact: true }).waitFor()
    })
  }
})
