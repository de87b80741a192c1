import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startHarness, type Harness } from './harness'

let browser: Browser
let harness: Harness
let page: Page
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await page?.close()
  await harness?.close()
})

describe('Add to…', () => {
  it('offers a free name when the name is taken, writes only after the person confirms it, and lists VS Code profiles', async () => {
    harness = await startHarness()
    page = await harness.show(await browser.newPage({ viewport: { width: 1280, height: 800 } }))
    await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'clash' })
    const file = join(harness.ctx.home, '.cursor', 'mcp.json')
    await mkdir(join(harness.ctx.home, '.cursor'), { recursive: true })
    await writeFile(file, '{"mcpServers": {"local-sandbox-clash": {"url": "https://mine.example"}}}')
    await mkdir(join(harness.ctx.home, '.config', 'Code', 'User', 'profiles', 'work'), { recursive: true })

    await page.getByRole('row', { name: /clash/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
    const dialog = page.getByRole('dialog', { name: /Add "clash" to a client/ })
    await dialog.getByLabel('VS Code', { exact: true }).check()
    await dialog.getByLabel('VS Code scope').selectOption({ label: 'Profile work' })
    await dialog.getByLabel('VS Code', { exact: true }).uncheck()
    await dialog.getByLabel('Claude Code', { exact: true }).uncheck()
    await dialog.getByLabel('Cursor', { exact: true }).check()
    await dialog.getByRole('button', { name: 'Preview change' }).click()
    await dialog
      .getByRole('alert')
      .getByText(/already has a server named local-sandbox-clash/)
      .waitFor()
    expect(await dialog.getByLabel('Cursor server name').inputValue()).toBe('local-sandbox-clash-2')
    // Nothing written yet: the person's own entry is as it was.
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers).toEqual({ 'local-sandbox-clash': { url: 'https://mine.example' } })
    await dialog.getByRole('button', { name: 'Preview change' }).click()
    await dialog.getByRole('button', { name: 'Write to Cursor' }).click()
    await page.getByText(/Added "local-sandbox-clash-2" to Cursor/).waitFor()
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).mcpServers)).toEqual(['local-sandbox-clash', 'local-sandbox-clash-2'])
  })
})
