import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser'
import { startHarness, type Harness } from './harness'
import { makeKey } from '../main/findings/planted'

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
afterEach(async () => {
  await page?.close()
  await harness?.close()
})

const nav = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click()

describe('Findings and Activity (built renderer, real main-process handlers)', () => {
  it('scans, shows each copy masked and where it is, redacts after confirmation, and the Activity view lists it', async () => {
    harness = await startHarness()
    const home = harness.ctx.home
    const github = makeKey.github()
    const google = makeKey.google()
    await mkdir(join(home, '.cursor'), { recursive: true })
    await writeFile(
      join(home, '.cursor', 'mcp.json'),
      JSON.stringify({ mcpServers: { maps: { url: 'https://maps.example/mcp', headers: { 'x-goog-api-key': google } } } }, null, 2)
    )
    await writeFile(join(home, '.bash_history'), `ls\nexport GITHUB_TOKEN=${github}\n`)
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await harness.show(page)

    await nav('Findings')
    await page.getByRole('button', { name: 'Scan', exact: true }).click()
    const list = page.getByRole('list', { name: 'Keys found in plain text' })
    await list.getByText(`${github.slice(0, 8)}…`).waitFor()
    await list.getByText(/\.bash_history:2/).waitFor()
    await list.getByText(/Cursor \(global\) "maps" \(headers\)/).waitFor()
    // Each key's card spans the list, and its table of copies stays inside the card.
    const layout = await list.evaluate((ul) =>
      [...ul.querySelectorAll(':scope > li')].map((li) => ({
        width: li.getBoundingClientRect().width,
        list: ul.getBoundingClientRect().width,
        spill: li.scrollWidth - li.clientWidth
      }))
    )
    expect(layout).toHaveLength(2)
    for (const card of layout) expect(card).toMatchObject({ width: card.list, spill: 0 })
    // Nothing the window received holds a value.
    expect(JSON.stringify(harness.received)).not.toContain(github.slice(8))
    expect(JSON.stringify(harness.received)).not.toContain(google.slice(8))

    await list.getByRole('listitem').filter({ hasText: 'shell history' }).getByRole('button', { name: 'Redact' }).click()
    const dialog = page.getByRole('dialog', { name: 'Redact for good?' })
    await dialog.getByText(/cannot be undone/).waitFor()
    await dialog.getByRole('button', { name: 'Redact' }).click()
    await page.getByText(/Secured 1 copy/).waitFor()
    expect(await readFile(join(home, '.bash_history'), 'utf8')).toBe(
      `ls\nexport GITHUB_TOKEN=${github.slice(0, 8)}${'*'.repeat(github.length - 8)}\n`
    )
    await list.getByText(/\.bash_history/).waitFor({ state: 'detached' })

    await nav('Activity')
    await page.getByRole('table', { name: 'Activity' }).getByText('Copy redacted').waitFor()
    await page.getByLabel('Kind').selectOption('key.read')
    await page.getByText('Nothing logged yet for these filters.').waitFor()
    expect(errors).toEqual([])
  })

  it('shows an entry a client dropped and writes it back after showing the masked change', async () => {
    harness = await startHarness()
    const ctx = harness.ctx
    const { key, secret } = await ctx.services.keys.create({ providerId: ctx.services.vault.providers.list()[0]!.id, name: 'Cursor key' })
    await ctx.services.bindings.apply(
      (await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })).planId
    )
    const file = join(ctx.home, '.cursor', 'mcp.json')
    await writeFile(file, JSON.stringify({ mcpServers: {} }))
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await harness.show(page)

    await nav('Findings')
    const region = page.getByRole('region', { name: 'Entries a client rewrote' })
    await region.getByText('gone from the file').waitFor()
    await region.getByRole('button', { name: 'Write it back…' }).click()
    const dialog = page.getByRole('dialog', { name: /^Write ".+" back$/ })
    await dialog
      .getByText(`${secret.slice(0, 8)}…`)
      .first()
      .waitFor()
    expect(await dialog.textContent()).not.toContain(secret.slice(8))
    await dialog.getByRole('button', { name: 'Write it back', exact: true }).click()
    await page.getByText(/Wrote ".+" back to Cursor \(global\)/).waitFor()
    await region.waitFor({ state: 'detached' })
    const servers = JSON.parse(await readFile(file, 'utf8')).mcpServers
    expect(Object.values(servers)).toEqual([expect.objectContaining({ headers: { Authorization: `Bearer ${secret}` } })])
    expect(errors).toEqual([])
  })
  it('says next to the folder field why a folder cannot be added, keeps it out, and the next good folder scans', async () => {
    harness = await startHarness()
    const project = join(harness.ctx.home, 'src', 'api')
    await mkdir(project, { recursive: true })
    await writeFile(join(project, '.env'), `GH=${makeKey.github()}\n`)
    page = await browser.newPage({ viewport: { width: 900, height: 700 } })
    page.on('pageerror', (e) => errors.push(e.message))
    await harness.show(page)
    await nav('Findings')
    const field = page.getByLabel('Folder to scan')
    for (const bad of ['src/app', '/definitely/not/here']) {
      await field.fill(bad)
      await page.getByRole('button', { name: 'Add folder' }).click()
      await page.locator('#scan-folder-error').getByText(bad, { exact: false }).waitFor()
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      // Kept in the field to fix, not added to the folders, not a toast.
      expect(await field.inputValue()).toBe(bad)
      expect(await page.getByRole('button', { name: /^Stop scanning/ }).count()).toBe(0)
      expect(await page.locator('.toasts').getByText(bad, { exact: false }).count()).toBe(0)
    }
    await field.fill(project)
    await page.getByRole('button', { name: 'Add folder' }).click()
    await page.getByRole('button', { name: `Stop scanning ${project}` }).waitFor()
    await page
      .getByRole('list', { name: 'Keys found in plain text' })
      .getByText(/\.env:1/)
      .waitFor()
    expect(await page.locator('#scan-folder-error').count()).toBe(0)
    expect(await field.inputValue()).toBe('')
    // The scan after that works too (the bad folders were never kept).
    await page.getByRole('button', { name: 'Scan again' }).click()
    await page.getByRole('button', { name: 'Scan again' }).waitFor()
    expect(
      await page
        .locator('.toast')
        .filter({ hasText: /not a full path|no folder/ })
        .count()
    ).toBe(0)
    await page.screenshot({ path: join(import.meta.dirname, '../../out/screenshots/findings-900.png') })
    expect(errors).toEqual([])
  })
})
