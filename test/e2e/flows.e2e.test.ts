import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBindingWriter } from '../../src/main/bindings/writer'
import { probeMcp } from '../../src/main/providers/mcp-probe'
import { createRotationEngine } from '../../src/main/rotation/engine'
import { launchChromium } from './browser'
import { startHarness, type Harness } from './harness'
import { startFaultServer } from '../support/fault-server'

let browser: Browser
let harness: Harness
let page: Page
const cleanup: Array<() => Promise<void>> = []
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})
afterEach(async () => {
  await page?.close()
  await harness?.close()
  for (const c of cleanup.splice(0)) await c()
})
async function open() {
  harness = await startHarness()
  page = await harness.show(await browser.newPage({ viewport: { width: 1280, height: 800 } }))
}
const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name }).click()

describe('window flows', () => {
  it('adds a key to Cursor from the key page, shows the masked diff, records the binding, and undoes it', async () => {
    await open()
    const { key, secret } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'cursor key' })
    await page.getByRole('row', { name: /cursor key/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Add to…' }).click()
    const dialog = page.getByRole('dialog', { name: /Add "cursor key" to a client/ })
    await dialog.getByLabel('Claude Code', { exact: true }).uncheck()
    await dialog.getByLabel('Cursor', { exact: true }).check()
    // Cursor's default keeps the key out of its file (the keychain bridge); this flow asks for a copy in it.
    const placement = dialog.getByLabel('Cursor placement')
    expect(await placement.inputValue()).toBe('bridge')
    await placement.selectOption('inline')
    await dialog.getByRole('button', { name: 'Preview change' }).click()
    const diff = await dialog.getByTestId('inject-diff').textContent()
    expect(diff).toContain(`${secret.slice(0, 8)}…`)
    expect(diff).not.toContain(secret)
    await dialog.getByText(/plaintext copy/).waitFor()
    await dialog.getByRole('button', { name: 'Write to Cursor' }).click()
    await page.getByText(/Added "local-sandbox-cursor-key" to Cursor/).waitFor()
    const file = join(harness.ctx.home, '.cursor', 'mcp.json')
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers['local-sandbox-cursor-key'].headers.Authorization).toBe(`Bearer ${secret}`)
    await page.getByRole('complementary').getByText('plaintext copy').waitFor()
    await page
      .getByRole('complementary')
      .getByText(/— Cursor \(global\)/)
      .waitFor()
    expect(harness.ctx.services.bindings.list().map((b) => b.keyId)).toEqual([key.id])

    await nav('Tools')
    const cursor = page.getByRole('region', { name: 'Cursor' })
    await cursor.getByText('local-sandbox-cursor-key', { exact: true }).waitFor()
    await cursor.getByText('Cursor (global)', { exact: true }).waitFor()
    await cursor.getByText('plain text in file').waitFor()
    await page.getByRole('listitem').filter({ hasText: 'Add "local-sandbox-cursor-key"' }).getByRole('button', { name: 'Undo' }).click()
    await page.getByText(/Undone: Add/).waitFor()
    // The file did not exist before Keywarden added the server: undo removes it again.
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(harness.ctx.services.bindings.list()).toEqual([])
  })

  it('rotates a key from the window, step by step to done', async () => {
    await open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'rotate me' })
    const preview = await harness.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'user',
      placement: 'helper'
    })
    await harness.ctx.services.bindings.apply(preview.planId)
    await page.getByRole('row', { name: /rotate me/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Rotate' }).click()
    const wizard = page.getByRole('dialog', { name: 'Rotate "rotate me"' })
    await wizard.getByText('1 client config will be updated').waitFor()
    await wizard.getByRole('button', { name: 'Start rotation' }).click()
    await page.getByText('Rotation finished: every client uses the new key and the old one is revoked.').waitFor()
    expect(await wizard.locator('.step.done').count()).toBe(4)
    expect(harness.ctx.services.rotation.list()[0]?.state).toBe('done')
  })

  it('offers to resume a rotation interrupted by a crash, and finishes it', async () => {
    harness = await startHarness()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'crashy' })
    // The app dies right after the new key reached the keychain: the journal says "creating".
    class Crash extends Error {}
    const dying = createRotationEngine({
      vault: harness.ctx.services.vault,
      secrets: {
        ...harness.ctx.secrets,
        set: async (a, v) => {
          await harness.ctx.secrets.set(a, v)
          throw new Crash()
        }
      },
      journal: {
        ...harness.ctx.services.journal,
        save: async (r) => {
          if (r.error) throw new Crash()
          return harness.ctx.services.journal.save(r)
        }
      },
      adapterFor: harness.ctx.services.adapterFor,
      writer: createBindingWriter({}),
      probe: probeMcp
    })
    await expect(dying.start(key.id)).rejects.toBeInstanceOf(Crash)
    page = await harness.show(await browser.newPage())
    await page.getByText('A key rotation was not finished.').waitFor()
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    const wizard = page.getByRole('dialog')
    await wizard.getByRole('button', { name: 'Roll back' }).waitFor()
    await wizard.getByRole('button', { name: 'Resume' }).click()
    await page.getByText('Rotation finished: every client uses the new key and the old one is revoked.').waitFor()
    // The new key took the old one's place, under its name.
    expect(
      harness.ctx.services.keys
        .list()
        .filter((k) => k.status === 'active')
        .map((k) => ({ id: k.id, name: k.name }))
    ).toEqual([{ id: harness.ctx.services.rotation.list()[0]!.newKeyId, name: 'crashy' }])
  })

  it('waits for the person to re-enter the key in VS Code before revoking, then rolls back another rotation keeping the new key', async () => {
    await open()
    const { key } = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'ask me' })
    const input = await harness.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'vscode',
      scope: 'user',
      placement: 'input',
      serverName: 'ask'
    })
    await harness.ctx.services.bindings.apply(input.planId)
    await page.getByRole('row', { name: /ask me/ }).click()
    await page.getByRole('complementary').getByRole('button', { name: 'Rotate' }).click()
    const wizard = page.getByRole('dialog', { name: 'Rotate "ask me"' })
    await wizard.getByRole('button', { name: 'Start rotation' }).click()
    await wizard.getByText(/VS Code keeps its copy of the key encrypted/).waitFor()
    await wizard.getByRole('list', { name: 'Clients' }).getByText('needs you').waitFor()
    expect(harness.ctx.services.vault.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
    await wizard.getByRole('button', { name: 'I re-entered the new key — continue' }).click()
    await page.getByText('Rotation finished: every client uses the new key and the old one is revoked.').waitFor()

    // A second key, rotation stopped before the revoke, rolled back from the window.
    const second = await harness.ctx.services.keys.create({ providerId: 'sandbox', name: 'undo me' })
    const p2 = await harness.ctx.services.bindings.preview({
      keyId: second.key.id,
      client: 'vscode',
      scope: 'user',
      placement: 'input',
      serverName: 'undo'
    })
    await harness.ctx.services.bindings.apply(p2.planId)
    const stopped = await harness.ctx.services.rotation.start(second.key.id)
    expect(stopped.state).toBe('awaiting-person')
    await page.reload()
    await nav('Rotations')
    await page.getByRole('button', { name: 'Continue' }).click()
    const w2 = page.getByRole('dialog')
    await w2.getByRole('button', { name: 'Roll back' }).click()
    await w2.getByText('Rolling back puts every client back on the old key').waitFor()
    await w2.getByRole('button', { name: 'Roll back and keep the new key' }).click()
    await w2.getByText(/The new key was kept; revoke it here/).waitFor()
    expect(await w2.locator('.step.done').count()).toBe(2)
    await w2.getByRole('button', { name: 'Revoke the new key' }).click()
    await w2.getByText('The new key was revoked.').waitFor()
    expect(harness.ctx.services.keys.list().find((k) => k.id === stopped.newKeyId)?.status).toBe('revoked')
    expect(harness.ctx.services.keys.list().find((k) => k.id === second.key.id)?.status).toBe('active')
  })

  it('connects VibeXP, paste-imports a key, and lists it under VibeXP', async () => {
    await open()
    // Without a key VibeXP answers 401, as a service that wants one does; with the key, 200.
    const vibexp = await startFaultServer([
      { status: 401, body: '{"detail":"Invalid API Key"}' },
      { status: 200, body: '[]' }
    ])
    cleanup.push(vibexp.close)
    await nav('Providers')
    await page.getByRole('group', { name: 'Service' }).getByRole('button', { name: 'VibeXP' }).click()
    const form = page.getByRole('form', { name: 'Connect VibeXP' })
    await form.getByLabel('API base URL').fill('http://127.0.0.1:9')
    await form.getByRole('button', { name: 'Test connection' }).click()
    await form.getByText(/^Could not reach VibeXP at http:\/\/127\.0\.0\.1:9/).waitFor()
    await form.getByLabel('API base URL').fill(vibexp.url)
    await form.getByRole('button', { name: 'Test connection' }).click()
    await form
      .getByText(`VibeXP's API answered at ${vibexp.url}/api/v1/prompts and asks for a key, as documented. Paste a key to check it.`)
      .waitFor()
    expect(vibexp.requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/prompts' })
    expect(vibexp.requests[0]?.headers.authorization).toBeUndefined()
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    await page.getByText('Connected VibeXP.').waitFor()
    await nav('Keys')
    await page.getByRole('button', { name: 'Paste a key' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Paste a key' })
    const value = `vib_${'9a8b7c6d5e4f3a2b'.repeat(4)}`
    await dialog.getByLabel('Key').fill(value)
    await dialog.getByText('This is a VibeXP key.').waitFor()
    await dialog.getByLabel('Name').fill('VS Code – work')
    await dialog.getByRole('button', { name: 'Check and import' }).click()
    await page.getByText(/Imported "VS Code – work" under VibeXP; the service accepted it/).waitFor()
    const row = page.getByRole('row', { name: /VS Code – work/ })
    expect(await row.textContent()).toContain('VibeXP')
    expect(await row.textContent()).toContain('vib_9a8b…')
    expect(vibexp.requests[1]?.headers.authorization).toBe(`Bearer ${value}`)
  })

  it('shows where an imported custom description sends keys, and connects it only when confirmed', async () => {
    await open()
    await nav('Providers')
    await page.getByRole('group', { name: 'Service' }).getByRole('button', { name: 'Custom…' }).click()
    const form = page.getByRole('form', { name: 'Connect a custom provider' })
    const json = JSON.stringify({
      keywardenProvider: 1,
      name: 'Helper',
      header: { name: 'X-Helper-Key' },
      keyPrefix: 'hlp_',
      checkUrl: 'https://collect.helper.example/check',
      mcpUrl: 'https://mcp.helper.example/mcp'
    })
    await form.getByLabel('…or paste an exported description (JSON)').fill(json)
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    const confirm = page.getByRole('dialog', { name: 'Connect "Helper"?' })
    expect(await confirm.getByTestId('custom-destinations').textContent()).toContain('https://collect.helper.example/check')
    await confirm.getByText('X-Helper-Key').waitFor()
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect(harness.ctx.services.providers.list().map((p) => p.name)).not.toContain('Helper')
    await form
      .getByLabel('…or paste an exported description (JSON)')
      .fill(JSON.stringify({ name: 'Helper', header: { name: 'Authorization' }, keyPrefix: 'v' }))
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /keyPrefix/ })
      .waitFor()
    await form.getByLabel('…or paste an exported description (JSON)').fill(json)
    await form.getByRole('button', { name: 'Connect', exact: true }).click()
    await page.getByRole('dialog', { name: 'Connect "Helper"?' }).getByRole('button', { name: 'Connect' }).click()
    await page.getByText('Connected Helper.').waitFor()
    expect(harness.ctx.services.providers.list().map((p) => p.name)).toContain('Helper')
  })

  it('files a Lynxo key with one of its documented permission levels and shows it in the list', async () => {
    await open()
    const lynxo = await startFaultServer([{ status: 200, body: '{"jobs":[]}' }])
    cleanup.push(lynxo.close)
    await harness.ctx.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url })
    await page.getByRole('button', { name: 'Paste a key' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Paste a key' })
    await dialog.getByLabel('Key').fill('lnx_9f8e7d6c5b4a39281706')
    await dialog.getByLabel('Provider').selectOption({ label: 'Lynxo' })
    await dialog.getByLabel(/Permissions/).selectOption({ label: 'Read only' })
    await dialog.getByLabel('Name').fill('reports')
    await dialog.getByRole('button', { name: 'Check and import' }).click()
    const row = page.getByRole('row', { name: /reports/ })
    await row.getByText('Read only').waitFor()
    expect(harness.ctx.services.keys.list()[0]?.scopes).toEqual(['read-only'])
  })

  it('edits a provider in place, and filters Lybic keys by organization', async () => {
    await open()
    const a = await harness.ctx.services.providers.connect({ kind: 'lybic', orgId: 'org-a', mcpUrl: 'https://mcp.a.example/mcp' })
    const b = await harness.ctx.services.providers.connect({ kind: 'lybic', orgId: 'org-b', mcpUrl: 'https://mcp.b.example/mcp' })
    const at = new Date().toISOString()
    const vault = harness.ctx.services.vault
    // Each commit tells the window the key list changed.
    await vault.keys.add({
      id: 'ka',
      providerId: a.id,
      name: 'agent A',
      prefix: 'lysk-aaa',
      createdAt: at,
      status: 'active',
      inVault: false,
      addedAt: at
    })
    await vault.keys.add({
      id: 'kb',
      providerId: b.id,
      name: 'agent B',
      prefix: 'lysk-bbb',
      createdAt: at,
      status: 'active',
      inVault: false,
      addedAt: at
    })
    await nav('Providers')
    const card = page.getByRole('listitem').filter({ hasText: 'Lybic (org-b)' })
    await card.getByRole('button', { name: 'Edit' }).click()
    const form = page.getByRole('form', { name: 'Edit Lybic (org-b)' })
    await form.getByLabel('Name').fill('Lybic – research')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved Lybic – research.').waitFor()
    expect(harness.ctx.services.providers.list().find((p) => p.id === b.id)).toMatchObject({
      name: 'Lybic – research',
      orgId: 'org-b',
      mcpUrl: 'https://mcp.b.example/mcp'
    })
    await nav('Keys')
    await page
      .getByRole('row', { name: /agent B/ })
      .getByText('org org-b')
      .waitFor()
    await page.getByLabel('Organization').selectOption('org-a')
    await page.getByTestId('key-count').filter({ hasText: '1 key of 2' }).waitFor()
    expect(await page.getByRole('row', { name: /agent A/ }).count()).toBe(1)
    expect(await page.getByRole('row', { name: /agent B/ }).count()).toBe(0)
  })
})
