import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { writeVaultAsAnotherProcess } from '../support/vault-file'
import { windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

describe('errors where they happen', () => {
  it('says every error inside the open dialog, next to its field when it is about one', async () => {
    const { harness, page, stray } = await session.open()
    const { key, secret } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'mine' })
    // Already in Cursor: known before any preview.
    const p = await harness.ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })
    await harness.ctx.services.bindings.apply(p.planId)

    // An empty name, said under the Name field.
    await page.getByRole('button', { name: 'New key' }).click()
    const create = page.getByRole('dialog', { name: 'New key' })
    await create.getByRole('button', { name: 'Create' }).click()
    await create.locator('label', { hasText: 'Name' }).getByRole('alert').getByText('Give the key a name').waitFor()
    expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBe('true')
    await page.keyboard.press('Escape')

    // A key pasted twice: the refusal is inside the Paste dialog.
    await page.getByRole('button', { name: 'Paste a key' }).first().click()
    const paste = page.getByRole('dialog', { name: 'Paste a key' })
    await paste.getByLabel('Key').fill(secret)
    await paste.getByLabel('Name').fill('again')
    await paste.getByRole('button', { name: 'Check and import' }).click()
    await paste.getByRole('alert').waitFor()
    await page.keyboard.press('Escape')

    // A relative project folder, said next to that field; "already added" shown before the preview.
    await page.getByRole('row', { name: /mine/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
    const add = page.getByRole('dialog', { name: /Add "mine" to a client/ })
    await add.getByLabel('Cursor', { exact: true }).check()
    await add.getByText('already added as local-sandbox-mine').waitFor()
    await add.getByLabel('Cursor', { exact: true }).uncheck()
    await add.getByLabel('Claude Code scope').selectOption('project')
    await add.getByLabel('Project folder').fill('src/app')
    await add.getByRole('button', { name: 'Preview change' }).click()
    await add
      .getByRole('alert')
      .getByText(/full path/)
      .waitFor()
    expect(await add.getByRole('alert').getAttribute('id')).toBe('project-claude-code-error')
    await page.keyboard.press('Escape')

    expect(await stray()).toEqual([])
    expect(await page.locator('.toasts [role="alert"]').count()).toBe(0)
  })

  it('blocks Add to… up front for a provider without an MCP server URL, and says where to add it', async () => {
    const { harness, page } = await session.open()
    const acme = await harness.ctx.services.providers.connect({
      kind: 'custom',
      custom: {
        name: 'Acme',
        header: { name: 'Authorization', scheme: 'Bearer' },
        keyPrefix: 'acm_',
        checkUrl: `${harness.ctx.services.sandbox!.url}/auth/api-keys/validate`
      }
    })
    const at = new Date().toISOString()
    await writeVaultAsAnotherProcess(harness.ctx.dataDir, (d) => {
      d.keys.push({
        id: 'acme-1',
        providerId: acme.id,
        name: 'acme key',
        prefix: 'acm_1234',
        createdAt: at,
        status: 'active',
        inVault: true,
        addedAt: at
      })
    })
    harness.emit({ type: 'keys.changed' })
    await page.getByRole('row', { name: /acme key/ }).click()
    const details = page.getByRole('complementary', { name: 'Key acme key' })
    expect(await details.getByRole('button', { name: 'Add to…' }).isDisabled()).toBe(true)
    await details.getByText('Acme has no MCP server URL').waitFor()
    await details.getByRole('button', { name: 'Add it under Providers' }).click()
    await page.getByRole('heading', { name: 'Providers' }).waitFor()
  })

  it('asks before removing a server, and the toast undoes it', async () => {
    const { harness, page, nav } = await session.open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'undo me' })
    const p = await harness.ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'helper' })
    const { binding } = await harness.ctx.services.bindings.apply(p.planId)
    await nav('Tools')
    const card = page.getByRole('region', { name: 'Claude Code' })
    await card.getByText('keychain helper').waitFor()
    await card.getByRole('button', { name: 'Remove' }).click()
    const confirm = page.getByRole('dialog', { name: /Remove "local-sandbox-undo-me" from/ })
    await confirm.getByRole('button', { name: 'Remove' }).click()
    const toast = page.locator('.toasts .toast').filter({ hasText: 'Removed "local-sandbox-undo-me"' })
    await toast.waitFor()
    expect(await toast.locator('.source').textContent()).toBe('Claude Code')
    expect(JSON.parse(await readFile(binding.file, 'utf8')).mcpServers ?? {}).toEqual({})
    await toast.getByRole('button', { name: 'Undo' }).click()
    await page.getByText(/Put "local-sandbox-undo-me" back/).waitFor()
    expect(Object.keys(JSON.parse(await readFile(binding.file, 'utf8')).mcpServers)).toEqual(['local-sandbox-undo-me'])
  })

  it('turns schema wording into words, and shows rotation states in words', async () => {
    const { harness, page, nav } = await session.open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'words' })
    await harness.ctx.services.rotation.start(key.id)
    await nav('Providers')
    const days = page.getByLabel('Rotation age in days for Local sandbox')
    await days.fill('0')
    await days.blur()
    await page.getByText('Enter a whole number of days from 1 to 3650').waitFor()
    expect(await page.content()).not.toMatch(/Too small|expected number/)
    await nav('Rotations')
    await page.locator('.card').getByText('Finished', { exact: true }).waitFor()
    expect(await page.locator('.card .badge').first().textContent()).toBe('Finished')
  })
})

describe('Add to… several clients at once', () => {
  it('previews one diff per file, writes them with one action, picks a project folder, and undoes them together', async () => {
    const { harness, page } = await session.open()
    const { key, secret } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'many' })
    await mkdir(join(harness.ctx.home, '.cursor'), { recursive: true })
    await writeFile(join(harness.ctx.home, '.cursor', 'mcp.json'), '{"mcpServers": {}}')
    await page.getByRole('row', { name: /many/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
    const add = page.getByRole('dialog', { name: /Add "many" to a client/ })
    await add.getByLabel('Claude Code scope').selectOption('project')
    await add.getByRole('button', { name: 'Choose folder…' }).click()
    // The folder arrives with the picker's answer, after the click returns.
    await expect.poll(() => add.getByLabel('Project folder').inputValue()).toBe(harness.project)
    await add.getByLabel('Cursor', { exact: true }).check()
    await add.getByRole('button', { name: 'Preview 2 changes' }).click()
    const diffs = add.getByTestId('inject-diff')
    await diffs.nth(1).waitFor()
    expect(await diffs.count()).toBe(2)
    for (const d of await diffs.all()) expect(await d.textContent()).not.toContain(secret)
    // Long lines wrap instead of being cut at the edge.
    expect(await diffs.first().evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap')
    await add.getByRole('button', { name: 'Write 2 files' }).click()
    // Each client's next step is listed in the dialog; the toast stays one line with its Undo.
    const steps = add.getByRole('list', { name: 'Next steps' })
    await steps.getByText(/Claude Code.*local-sandbox-many.*\/mcp/).waitFor()
    await steps.getByText(/Cursor.*local-sandbox-many/).waitFor()
    const toast = page.locator('.toasts .toast').filter({ hasText: 'Added "many" to 2 clients.' })
    await toast.waitFor()
    expect((await toast.boundingBox())!.height).toBeLessThan(100)
    await add.getByRole('button', { name: 'Done' }).click()
    await add.waitFor({ state: 'detached' })
    const projectFile = join(harness.project, '.mcp.json')
    expect(Object.keys(JSON.parse(await readFile(projectFile, 'utf8')).mcpServers)).toEqual(['local-sandbox-many'])
    expect(harness.ctx.services.bindings.list().filter((b) => b.keyId === key.id)).toHaveLength(2)
    await toast.getByRole('button', { name: 'Undo' }).click()
    await page.getByText(/Undone: "local-sandbox-many" in Claude Code/).waitFor()
    expect(JSON.parse(await readFile(join(harness.ctx.home, '.cursor', 'mcp.json'), 'utf8')).mcpServers).toEqual({})
    expect(harness.ctx.services.bindings.list()).toEqual([])
  })
})

describe('Tools as connections', () => {
  it('tests a server with MCP initialize and moves a plain-text key to the keychain helper', async () => {
    const { harness, page, nav } = await session.open()
    const { key, secret } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'plain' })
    const p = await harness.ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'inline' })
    const { binding } = await harness.ctx.services.bindings.apply(p.planId)
    await nav('Tools')
    const card = page.getByRole('region', { name: 'Claude Code' })
    await card.getByText('plain text in file').waitFor()
    await card.getByRole('button', { name: 'Test local-sandbox-plain' }).click()
    await card.getByRole('status').getByText('connected').waitFor()
    await card.getByRole('button', { name: 'Move to keychain' }).click()
    const move = page.getByRole('dialog', { name: /Move "local-sandbox-plain" to the keychain/ })
    expect(await move.getByTestId('move-diff').textContent()).not.toContain(secret)
    await move.getByRole('button', { name: 'Move to keychain' }).click()
    await page.getByText(/now gets its key from the keychain/).waitFor()
    const file = await readFile(binding.file, 'utf8')
    expect(file).not.toContain(secret)
    await card.getByText('keychain helper').waitFor()
    expect(harness.ctx.services.bindings.list()).toMatchObject([{ placement: 'helper' }])
  })
})
