import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { writeVaultAsAnotherProcess } from '../support/vault-file'
import { windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)
const DAY = 86_400_000

describe('keyboard', () => {
  it('creates a key, adds it to Claude Code and rotates it without touching the mouse', async () => {
    const { harness, page } = await session.open()
    await page.keyboard.press('Control+n')
    await page.getByRole('dialog', { name: 'New key' }).waitFor()
    await page.keyboard.type('keyboard key')
    await page.keyboard.press('Enter')
    const created = page.getByRole('dialog', { name: 'Key created' })
    await created.getByRole('button', { name: 'Add to a client…' }).waitFor()
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add to a client…')
    await page.keyboard.press('Enter')
    const add = page.getByRole('dialog', { name: /Add "keyboard key" to a client/ })
    await add.getByLabel('Claude Code', { exact: true }).waitFor()
    expect(await add.getByLabel('Claude Code', { exact: true }).isChecked()).toBe(true)
    await page.keyboard.press('Enter')
    await add.getByRole('button', { name: 'Write to Claude Code' }).waitFor()
    await page.keyboard.press('Enter')
    await page.getByText(/Added "local-sandbox-keyboard-key" to Claude Code\. Run \/mcp in Claude Code/).waitFor()
    const file = harness.ctx.services.bindings.list()[0]!.file
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers['local-sandbox-keyboard-key'].headersHelper).toMatch(/mcp-headers/)

    await page.keyboard.press('Control+k')
    await page.keyboard.type('rotate keyboard')
    await page.getByRole('option', { name: /Rotate “keyboard key”/ }).waitFor()
    await page.keyboard.press('Enter')
    const wizard = page.getByRole('dialog', { name: 'Rotate "keyboard key"' })
    await wizard.getByRole('button', { name: 'Start rotation' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.textContent === 'Start rotation')
    await page.keyboard.press('Enter')
    await page.getByText('Rotation finished: every client uses the new key and the old one is revoked.').waitFor()
    expect(harness.ctx.services.rotation.list()[0]?.state).toBe('done')
    expect(harness.ctx.services.keys.list().find((k) => k.status === 'active')?.name).toBe('keyboard key')
  })

  it('lists its shortcuts in the palette; Ctrl+F searches, Ctrl+C copies the selected key, Delete asks, Esc closes', async () => {
    const { harness, page } = await session.open()
    const { key, secret } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'copy me' })
    await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'other' })
    await page.getByRole('row', { name: /copy me/ }).waitFor()
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    for (const what of [
      'New key',
      'Search keys',
      'Copy the selected key',
      'Revoke or remove the selected key',
      'Close, or clear the selection'
    ])
      await palette.getByLabel('Keyboard shortcuts').getByText(what).waitFor()
    await page.keyboard.type('copy me')
    await page.keyboard.press('Enter')
    await page.getByRole('complementary', { name: 'Key copy me' }).waitFor()
    expect(await page.getByRole('row', { name: /copy me/ }).getAttribute('aria-selected')).toBe('true')
    await page.getByRole('row', { name: /copy me/ }).focus()
    await page.keyboard.press('Control+c')
    await page.getByText(/Copied "copy me"/).waitFor()
    expect(harness.clipboard.peek()).toBe(secret)
    await page.keyboard.press('Delete')
    const confirm = page.getByRole('dialog', { name: 'Revoke "copy me"?' })
    await confirm.waitFor()
    await page.keyboard.press('Escape')
    await confirm.waitFor({ state: 'detached' })
    expect(harness.ctx.services.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
    await page.keyboard.press('Control+f')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search keys')
    await page.keyboard.type('other')
    await page.getByTestId('key-count').filter({ hasText: '1 key of 2' }).waitFor()
  })
})

describe('a list for hundreds of keys', () => {
  it('sorts by column, filters by chip, renames with notes and tags, and rotates every due key after one confirmation', async () => {
    const { harness, page, nav } = await session.open()
    const { key: bravo } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'bravo' })
    const { key: alpha } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'alpha' })
    await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'charlie' })
    const p = await harness.ctx.services.bindings.preview({ keyId: bravo.id, client: 'cursor', scope: 'global', placement: 'inline' })
    await harness.ctx.services.bindings.apply(p.planId)
    const at = new Date().toISOString()
    await writeVaultAsAnotherProcess(harness.ctx.dataDir, (d) => {
      d.keys.find((k) => k.id === alpha.id)!.createdAt = new Date(Date.now() - 120 * DAY).toISOString()
      d.keys.push({
        id: 'elsewhere',
        providerId: 'sandbox',
        name: 'delta',
        prefix: 'sbx_dddd',
        createdAt: at,
        status: 'active',
        inVault: false,
        addedAt: at
      })
    })
    await page.reload()
    await page.getByRole('row', { name: /delta/ }).waitFor()
    const names = async () =>
      (await page.locator('.table-body .row .name').allTextContents()).map((t) => t.split(/rotate|not in/)[0]!.trim())
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
    expect(await names()).toEqual(['alpha', 'bravo', 'charlie', 'delta'])
    expect(await page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending')
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click()
    expect(await names()).toEqual(['delta', 'charlie', 'bravo', 'alpha'])

    const chip = (label: string) => page.getByRole('group', { name: 'Show only' }).getByRole('button', { name: new RegExp(`^${label}`) })
    for (const [label, expected] of [
      ['Due for rotation', ['alpha']],
      ['Not in vault', ['delta']],
      ['Used in plain text', ['bravo']],
      ['Unused 60 days', ['alpha']]
    ] as const) {
      await chip(label).click()
      await page.getByTestId('key-count').filter({ hasText: `1 key of 4` }).waitFor()
      expect(await names()).toEqual(expected)
      await chip(label).click()
    }

    await page.getByRole('row', { name: /charlie/ }).click()
    const selected = page.getByRole('row', { name: /charlie/ })
    expect(await selected.evaluate((el) => getComputedStyle(el).boxShadow)).toMatch(/inset/)
    await page.getByRole('button', { name: 'Rename…' }).click()
    const rename = page.getByRole('dialog', { name: 'Rename "charlie"' })
    await rename.getByLabel('Name').fill('charlie – CI')
    await rename.getByLabel('Notes').fill('GitHub Actions runner')
    await rename.getByLabel(/Tags/).fill('ci, prod')
    await rename.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('row', { name: /charlie – CI/ })
      .getByText('prod')
      .waitFor()
    await page.getByLabel('Search keys').fill('github actions')
    await page.getByTestId('key-count').filter({ hasText: '1 key of 4' }).waitFor()
    await page.getByLabel('Search keys').fill('')

    await nav('Settings')
    // The reminder notification opens the keys that are due.
    harness.emit({ type: 'reminder.open' })
    await page.getByRole('heading', { name: 'Keys', exact: true }).waitFor()
    expect(await chip('Due for rotation').getAttribute('aria-pressed')).toBe('true')
    await page.getByRole('button', { name: 'Rotate all due (1)' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rotate all keys due for rotation' })
    await dialog.getByRole('button', { name: 'Rotate 1 key' }).click()
    await dialog.getByText('Finished: 1 rotated').waitFor()
    expect(harness.ctx.services.keys.list().find((k) => k.id === alpha.id)?.status).toBe('revoked')
    expect(harness.ctx.services.keys.list().filter((k) => k.name === 'alpha' && k.status === 'active')).toHaveLength(1)
  })
})

describe('first run', () => {
  it('walks from nothing to a client using the key, and ends with what to do in that client', async () => {
    const { page } = await session.open()
    const steps = page.getByRole('region', { name: 'Get started in three steps' })
    await steps.getByText('Not yet').waitFor()
    await steps.getByRole('button', { name: 'Try the Local sandbox' }).click()
    await steps.getByText('Using the Local sandbox').waitFor()
    await steps.getByRole('button', { name: 'Create a key' }).click()
    const create = page.getByRole('dialog', { name: 'New key' })
    await create.getByLabel('Name').fill('first')
    await create.getByRole('button', { name: 'Create' }).click()
    const created = page.getByRole('dialog', { name: 'Key created' })
    await created.getByText(/Copy or reveal it here or, any time, from the key's details/).waitFor()
    await created.getByRole('button', { name: 'Add to a client…' }).click()
    await page
      .getByRole('dialog', { name: /Add "first" to a client/ })
      .getByRole('button', { name: 'Preview change' })
      .click()
    await page.getByRole('button', { name: 'Write to Claude Code' }).click()
    const done = page.getByRole('region', { name: 'Getting started' })
    await done.getByText(/You are set\./).waitFor()
    expect(await done.textContent()).toContain('Run /mcp in Claude Code')
    await done.getByRole('button', { name: 'Hide' }).click()
    await page.reload()
    await page.getByRole('row', { name: /first/ }).waitFor()
    expect(await page.getByRole('region', { name: /Getting started|Get started/ }).count()).toBe(0)
  })
})

describe('settings and theme', () => {
  it('follows the OS into light mode, can be set to dark, and applies the clipboard time', async () => {
    const { harness, page, nav } = await session.open({}, { colorScheme: 'light' })
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(await background()).toBe('rgb(245, 246, 248)')
    await nav('Settings')
    await page.getByTestId('data-dir').filter({ hasText: harness.ctx.dataDir }).waitFor()
    await page.getByText(/Secret Service/).waitFor()
    await page.getByLabel('Dark').click()
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark')
    expect(await background()).toBe('rgb(17, 20, 24)')
    const clip = page.getByLabel('Clear the clipboard after')
    await clip.fill('2')
    await clip.blur()
    await page.getByRole('alert').getByText('Clear the clipboard after must be a whole number from 5 to 600.').waitFor()
    await clip.fill('12')
    await clip.blur()
    await page.getByRole('status').getByText('Saved.').waitFor()
    expect(harness.ctx.services.vault.settings.get()).toMatchObject({ theme: 'dark', clipboardSeconds: 12 })
    await page.reload()
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark')
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'timed' })
    await page.getByRole('row', { name: /timed/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Copy' }).click()
    await page.getByText(/the clipboard clears in 12 s/).waitFor()
    await page.getByRole('complementary').getByRole('button', { name: 'Reveal' }).click()
    await page.getByText(/Hides in \d+ s/).waitFor()
    expect(await page.getByTestId('revealed-secret').textContent()).toBe(await harness.ctx.services.keys.readSecret(key.id))
  })
})

describe('connecting a provider', () => {
  it('refuses a wrong password inside the form, syncs at once, makes New key default to it, and offers "Sign in again" when sync is refused later', async () => {
    const { harness, page, nav } = await session.open()
    const service = harness.ctx.services.sandbox!.url
    await fetch(`${service}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'me@example.com', password: 'right-password' })
    })
    await nav('Providers')
    await page.getByRole('group', { name: 'Service' }).getByRole('button', { name: 'Lyceum' }).click()
    const form = page.getByRole('form', { name: 'Connect Lyceum' })
    await form.getByText(/"Add to…" writes it into your clients/).waitFor()
    await form.getByLabel('API base URL').fill(service)
    await form.getByLabel('MCP server URL').fill(harness.ctx.services.sandbox!.mcpUrl)
    await form.getByLabel('Email').fill('me@example.com')
    await form.getByLabel('Password').fill('wrong-password')
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    await form
      .getByRole('alert')
      .getByText(/Nothing was saved/)
      .waitFor()
    expect(harness.ctx.services.providers.list().map((p) => p.kind)).toEqual(['sandbox'])
    await form.getByLabel('Password').fill('right-password')
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    await page.getByText('Connected Lyceum.').waitFor()
    const lyceum = harness.ctx.services.providers.list().find((p) => p.kind === 'lyceum')!
    expect(lyceum.sync.lastSyncedAt).toBeDefined()
    await nav('Keys')
    await page.keyboard.press('Control+n')
    const create = page.getByRole('dialog', { name: 'New key' })
    await create.getByLabel('Name').waitFor()
    expect(await create.getByLabel('Provider').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Lyceum')
    await page.keyboard.press('Escape')

    await harness.ctx.services.providers.update({ providerId: lyceum.id, password: 'changed-elsewhere' })
    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    const toast = page.locator('.toasts .toast').filter({ hasText: /Lyceum refused the saved sign-in/ })
    await toast.waitFor()
    expect(await toast.locator('.source').textContent()).toBe('Lyceum')
    await toast.getByRole('button', { name: 'Sign in again' }).click()
    const edit = page.getByRole('form', { name: 'Edit Lyceum' })
    await edit.getByLabel(/Password/).fill('right-password')
    await edit.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved Lyceum.').waitFor()
    await toast.waitFor({ state: 'detached' })
  })
})

describe('the rotation wizard', () => {
  it('streams each step and each client while the rotation runs, with one primary action in each state', async () => {
    const { harness, page } = await session.open({}, {}, { answerDelayMs: { 'rotations.start': 4000 } })
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'streamed' })
    for (const [client, scope, placement] of [
      ['cursor', 'global', 'inline'],
      ['claude-code', 'user', 'helper']
    ] as const) {
      const p = await harness.ctx.services.bindings.preview({ keyId: key.id, client, scope, placement })
      await harness.ctx.services.bindings.apply(p.planId)
    }
    await page.getByRole('row', { name: /streamed/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Rotate' }).click()
    const wizard = page.getByRole('dialog', { name: 'Rotate "streamed"' })
    await wizard.getByText('2 client configs will be updated').waitFor()
    expect(await wizard.locator('button.primary').count()).toBe(1)
    await wizard.getByRole('button', { name: 'Start rotation' }).click()
    // The answer to Start is held back 4 s after the rotation ran: everything below arrives as progress meanwhile.
    const clients = wizard.getByRole('list', { name: 'Clients' })
    await clients.getByText(/Cursor \(global\): local-sandbox-streamed: on the new key/).waitFor()
    await clients.getByText(/Claude Code \(user\): local-sandbox-streamed: on the new key/).waitFor()
    await wizard
      .getByRole('list', { name: 'Progress' })
      .getByText(/Done: the old key is revoked/)
      .waitFor()
    await wizard.getByRole('button', { name: 'Done' }).waitFor()
    expect(await wizard.locator('.step.done').count()).toBe(4)
    expect(harness.answered).not.toContain('rotations.start')
    expect(await wizard.locator('button.primary').count()).toBe(1)
    expect(await page.getByText(/was not finished/).count()).toBe(0)
  })

  it('offers Copy new key where the person must re-enter it, and says it inside the wizard', async () => {
    const { harness, page } = await session.open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'vs code key' })
    const p = await harness.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'vscode',
      scope: 'user',
      placement: 'input',
      serverName: 'ask'
    })
    await harness.ctx.services.bindings.apply(p.planId)
    await page.getByRole('row', { name: /vs code key/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Rotate' }).click()
    const wizard = page.getByRole('dialog', { name: 'Rotate "vs code key"' })
    await wizard.getByRole('button', { name: 'Start rotation' }).click()
    await wizard.getByRole('button', { name: 'I re-entered the new key — continue' }).waitFor()
    expect(await wizard.locator('button.primary').count()).toBe(1)
    await wizard.getByRole('button', { name: 'Copy new key' }).click()
    await wizard
      .getByRole('status')
      .getByText(/New key copied/)
      .waitFor()
    const r = harness.ctx.services.rotation.list()[0]!
    expect(harness.clipboard.peek()).toBe(await harness.ctx.services.keys.readSecret(r.newKeyId))
  })
})
