import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './browser'
import { strayAlerts, watchAlerts } from './checks'
import { startHarness, type Harness } from './harness'

/** One browser for a file's tests; each test gets its own harness and page, closed after it. */
/** Where the window tests put the screenshots they take, to be looked at. */
export const SHOTS = join(import.meta.dirname, '../../out/screenshots')

export function windowSession() {
  let browser: Browser | undefined
  const open: Array<{ harness: Harness; page: Page }> = []
  return {
    async start() {
      await mkdir(SHOTS, { recursive: true })
      browser = await launchChromium()
    },
    async stop() {
      await browser?.close()
    },
    async cleanup() {
      for (const o of open.splice(0)) {
        await o.page.context().close()
        await o.harness.close()
      }
    },
    /** A window on a fresh vault; every alert raised outside an open dialog is recorded. */
    async open(
      options: Parameters<typeof startHarness>[0] = {},
      page: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
      transport?: Parameters<typeof startHarness>[1]
    ) {
      const harness = await startHarness(options, transport)
      const context = await browser!.newContext({
        viewport: { width: page.width ?? 1280, height: page.height ?? 800 },
        colorScheme: page.colorScheme ?? 'dark'
      })
      const p = await context.newPage()
      await watchAlerts(p)
      await harness.show(p)
      open.push({ harness, page: p })
      const nav = (name: string) => p.getByRole('navigation').getByRole('button', { name }).click()
      return { harness, page: p, nav, stray: () => strayAlerts(p) }
    }
  }
}
