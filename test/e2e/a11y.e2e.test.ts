import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeVaultAsAnotherProcess } from '../support/vault-file'
import { launchChromium } from './browser'
import { axeProblems } from './checks'
import { startHarness, type Harness } from './harness'
import { SHOTS } from './window-support'

let browser: Browser
let harness: Harness
beforeAll(async () => {
  browser = await launchChromium()
  harness = await startHarness()
  await mkdir(SHOTS, { recursive: true })
  // Something on every screen: keys (one due, one with a client), a binding, a rotation.
  const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'Work laptop – Claude Code' })
  await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'CI runner' })
  const p = await harness.ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })
  await harness.ctx.services.bindings.apply(p.planId)
  await writeVaultAsAnotherProcess(harness.ctx.dataDir, (d) => {
    d.keys[1]!.createdAt = new Date(Date.now() - 200 * 86_400_000).toISOString()
  })
})
afterAll(async () => {
  await harness?.close()
  await browser?.close()
})

type Step = { name: string; open: (page: Page) => Promise<void> }
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name }).click()
const SCREENS: Step[] = [
  { name: 'keys', open: async (page) => void (await page.getByRole('row', { name: /Work laptop/ }).click()) },
  { name: 'providers', open: (page) => nav(page, 'Providers') },
  {
    name: 'tools',
    open: async (page) => (
      await nav(page, 'Tools'),
      await page.getByText('local-sandbox-work-laptop-claude-code', { exact: true }).waitFor()
    )
  },
  { name: 'rotations', open: (page) => nav(page, 'Rotations') },
  { name: 'settings', open: async (page) => (await nav(page, 'Settings'), await page.getByText('Data folder').waitFor()) },
  {
    name: 'new-key',
    open: async (page) => (
      await page.getByRole('button', { name: 'New key' }).click(),
      await page.getByRole('dialog').getByLabel('Name').waitFor()
    )
  },
  {
    name: 'add-to',
    open: async (page) => {
      await page.getByRole('row', { name: /CI runner/ }).click()
      await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
      await page.getByRole('dialog').getByText('Claude Code').first().waitFor()
    }
  },
  {
    name: 'add-to-previews',
    open: async (page) => {
      await page.getByRole('row', { name: /CI runner/ }).click()
      await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
      const dialog = page.getByRole('dialog')
      for (const client of ['Cursor', 'VS Code', 'VS Code Insiders']) await dialog.getByLabel(client, { exact: true }).check()
      await dialog.getByRole('button', { name: /Preview \d+ changes/ }).click()
      await dialog.getByTestId('inject-diff').nth(3).waitFor()
    }
  },
  {
    name: 'move-to-keychain',
    open: async (page) => {
      await nav(page, 'Tools')
      await page
        .getByRole('button', { name: /Move to keychain/ })
        .first()
        .click()
      await page.getByRole('dialog').getByTestId('move-diff').waitFor()
    }
  },
  {
    name: 'rotate',
    open: async (page) => {
      await page.getByRole('row', { name: /CI runner/ }).click()
      await page.getByRole('complementary').getByRole('button', { name: 'Rotate' }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Start rotation' }).waitFor()
    }
  },
  {
    name: 'rotate-due',
    open: async (page) => (await page.getByRole('button', { name: /Rotate all due/ }).click(), await page.getByRole('dialog').waitFor())
  },
  {
    name: 'rename',
    open: async (page) => (
      await page.getByRole('row', { name: /CI runner/ }).click(),
      await page.getByRole('button', { name: 'Rename…' }).click()
    )
  },
  {
    name: 'palette',
    open: async (page) => (await page.keyboard.press('Control+k'), await page.getByRole('combobox', { name: /Type a command/ }).fill('ci'))
  }
]

describe('accessibility and looks', () => {
  for (const scheme of ['dark', 'light'] as const) {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 900, height: 700 }
    ]) {
      // axe runs at the full size; the narrow window is looked at (screenshots) for layout only.
      const withAxe = size.width === 1280
      describe(`${scheme}, ${size.width}×${size.height}`, () => {
        let context: BrowserContext
        let page: Page
        beforeAll(async () => {
          context = await browser.newContext({ viewport: size, colorScheme: scheme })
          page = await context.newPage()
        })
        afterAll(() => context?.close())
        for (const screen of SCREENS) {
          it(`${screen.name}: ${withAxe ? 'no serious or critical axe findings' : 'lays out'}`, async () => {
            await harness.show(page)
            await screen.open(page)
            // Let transitions and the deferred list settle before looking.
            await page.waitForTimeout(150)
            await page.screenshot({ path: join(SHOTS, `${screen.name}-${scheme}-${size.width}.png`) })
            if (withAxe) expect(await axeProblems(page)).toEqual([])
          }, 90_000)
        }
      })
    }
  }
})
