import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { axeProblems, strayAlerts, watchAlerts } from './checks'
import { startHarness, type Harness } from './harness'
import { SHOTS } from './window-support'

let browser: Browser
let harness: Harness
let page: Page
const errors: string[] = []

beforeAll(async () => {
  browser = await launchChromium()
  await mkdir(SHOTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await page?.context().close()
  await harness?.close()
})

const nav = (name: string | RegExp) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click()
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'))
/** What the shell does when the window comes back to the front. */
const focusWindow = () => page.evaluate(() => window.dispatchEvent(new Event('focus')))

/** One key on Claude Code (keychain helper) and Cursor (keychain bridge), both written by Keywarden. */
async function boundTwice() {
  harness = await startHarness()
  const s = harness.ctx.services
  const { key } = await s.keys.create({ providerId: 'sandbox', name: 'Drifting key' })
  for (const [client, scope, placement] of [
    ['claude-code', 'user', 'helper'],
    ['cursor', 'global', 'bridge']
  ] as const) {
    await s.bindings.apply((await s.bindings.preview({ keyId: key.id, client, scope, placement })).planId)
  }
  return { claude: join(harness.ctx.home, '.claude.json'), cursor: join(harness.ctx.home, '.cursor', 'mcp.json') }
}

describe('entries a client rewrote, seen from Keys and Tools', () => {
  it('says at start and on focus that an entry is gone or edited, and writes each back after the preview', async () => {
    const files = await boundTwice()
    // Claude Code rewrote its file while Keywarden was closed, dropping the entry.
    const claude = await readJson(files.claude)
    const serverName = Object.keys(claude.mcpServers)[0]!
    const written = claude.mcpServers[serverName]
    delete claude.mcpServers[serverName]
    await writeFile(files.claude, JSON.stringify(claude, null, 2))

    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await watchAlerts(page)
    await harness.show(page)
    // At start: said once, and the Tools section counts it.
    await page
      .locator('.toasts')
      .getByText(/An entry Keywarden wrote was changed or dropped by its client since/)
      .waitFor()
    await page.getByRole('navigation', { name: 'Sections' }).getByLabel('1 entry changed by a client').waitFor()
    // Dismissed: it is not said again for the same entry, only when another one drifts.
    const driftToast = page.locator('.toasts [role]').filter({ hasText: /changed or dropped by its client/ })
    await driftToast.getByRole('button', { name: 'Dismiss' }).click()
    await focusWindow()
    await page.getByRole('navigation', { name: 'Sections' }).getByLabel('1 entry changed by a client').waitFor()
    expect(await driftToast.count()).toBe(0)

    await page.getByRole('row', { name: /Drifting key/ }).click()
    const details = page.getByRole('complementary', { name: 'Key Drifting key' })
    const claudeItem = details.getByRole('listitem').filter({ hasText: 'Claude Code (user)' })
    await claudeItem.getByText('gone from the file').waitFor()
    await claudeItem.getByText(/no longer has this entry/).waitFor()
    // Not claimed as there: the placement words are not shown for the dropped entry.
    expect(await claudeItem.getByText('keychain helper').count()).toBe(0)
    const cursorItem = details.getByRole('listitem').filter({ hasText: 'Cursor (global)' })
    expect(await cursorItem.getByText('gone from the file').count()).toBe(0)

    // Cursor's entry is edited while the window is in the background; focus brings it up.
    const cursor = await readJson(files.cursor)
    const cursorName = Object.keys(cursor.mcpServers)[0]!
    cursor.mcpServers[cursorName].args = ['--some-other-flag']
    await writeFile(files.cursor, JSON.stringify(cursor, null, 2))
    await focusWindow()
    await cursorItem.getByText('edited elsewhere').waitFor()
    await cursorItem.getByText(/edited since Keywarden wrote it \(changed: args\)/).waitFor()
    await page.getByRole('navigation', { name: 'Sections' }).getByLabel('2 entries changed by a client').waitFor()
    await driftToast.getByText('2 entries Keywarden wrote were changed or dropped by its client since.').waitFor()
    await cursorItem.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'drift-keys.png') })
    expect(await axeProblems(page)).toEqual([])

    // Write the Claude Code entry back from Keys, after the masked preview.
    await claudeItem.getByRole('button', { name: 'Write it back…' }).click()
    const dialog = page.getByRole('dialog', { name: `Write "${serverName}" back` })
    const diff = dialog.getByTestId('repair-diff')
    await diff.getByText(/headersHelper/).waitFor()
    expect(await diff.textContent()).not.toMatch(/^(Index:|===|\\ No newline)/m)
    await page.screenshot({ path: join(SHOTS, 'drift-repair-preview.png') })
    expect(await axeProblems(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Write it back', exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByText(new RegExp(`Wrote "${serverName}" back to Claude Code \\(user\\)`)).waitFor()
    expect((await readJson(files.claude)).mcpServers[serverName]).toEqual(written)
    await claudeItem.getByText('keychain helper').waitFor()
    expect(await claudeItem.getByText('gone from the file').count()).toBe(0)
    // The toast still showing counts what is left.
    await driftToast.getByText('An entry Keywarden wrote was changed or dropped by its client since.').waitFor()

    // Tools: the edited Cursor entry is marked in its card and listed with its repair.
    await nav(/^Tools/)
    const region = page.getByRole('region', { name: 'Entries a client rewrote' })
    await region.getByText('edited elsewhere').waitFor()
    await page.getByRole('region', { name: 'Cursor' }).getByText('edited elsewhere').waitFor()
    await page.screenshot({ path: join(SHOTS, 'drift-tools.png'), fullPage: true })
    await region.getByRole('button', { name: 'Write it back…' }).click()
    await page
      .getByRole('dialog', { name: `Write "${cursorName}" back` })
      .getByRole('button', { name: 'Write it back', exact: true })
      .click()
    await region.waitFor({ state: 'detached' })
    expect((await readJson(files.cursor)).mcpServers[cursorName].args).not.toContain('--some-other-flag')
    expect(
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByLabel(/changed by a client/)
        .count()
    ).toBe(0)
    expect(
      await page
        .locator('.toasts')
        .getByText(/changed or dropped by its client/)
        .count()
    ).toBe(0)
    expect(await strayAlerts(page)).toEqual([])
    expect(errors).toEqual([])
  }, 90_000)

  it('checks again after each scan', async () => {
    const files = await boundTwice()
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await harness.show(page)
    await nav('Findings')
    expect(await page.getByRole('region', { name: 'Entries a client rewrote' }).count()).toBe(0)
    // VS Code-style migration: the entry is rewritten without its keychain helper. No focus change.
    const claude = await readJson(files.claude)
    const serverName = Object.keys(claude.mcpServers)[0]!
    delete claude.mcpServers[serverName].headersHelper
    await writeFile(files.claude, JSON.stringify(claude, null, 2))
    await page.getByRole('button', { name: 'Scan', exact: true }).click()
    const region = page.getByRole('region', { name: 'Entries a client rewrote' })
    await region.getByText('edited elsewhere').waitFor()
    await region.getByText(/headersHelper/).waitFor()
    await page.getByRole('navigation', { name: 'Sections' }).getByLabel('1 entry changed by a client').waitFor()
    expect(errors).toEqual([])
  }, 60_000)
})
