// First: React looks for a document as it loads.
import '../support/window-dom'
import { act, cleanup, fireEvent, render, waitFor, within } from '@testing-library/react'
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { memorySecretStore } from '../support/memory-secrets'
import { testContext } from '../support/context'
import type { App } from '../../src/main/app/open-app'
import type { BridgeApi } from '../../src/shared/api'

// The dialogs as the person sees them, each talking to the real main process: only the IPC
// transport is replaced, by a bridge that calls the app's dispatch in this process.
beforeAll(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})

/** Queries over the whole page (the document exists only once the window is installed). */
const page = () => within(document.body)

const apps: App[] = []
afterEach(async () => {
  cleanup()
  for (const app of apps.splice(0)) await app.close()
})

async function openWindowOn(options: Parameters<typeof testContext>[0] = {}) {
  const { ctx } = await testContext({ secrets: memorySecretStore(), ...options })
  apps.push(ctx)
  const bridge = new Proxy({} as BridgeApi, {
    get: (_t, method: string) => (method === 'onEvent' ? (l: never) => ctx.onEvent(l) : (input: unknown) => ctx.dispatch(method, input))
  })
  ;(window as unknown as { keywarden: BridgeApi }).keywarden = bridge
  const { useApp } = await import('../../src/renderer/stores/app-store')
  await act(async () => {
    await useApp.getState().loadAll()
  })
  return { app: ctx, useApp }
}

describe('confirm dialog', () => {
  it('moves focus in, cancels on Escape and returns focus where it was', async () => {
    const { ConfirmDialog } = await import('../../src/renderer/components/Dialog')
    const opener = document.createElement('button')
    document.body.append(opener)
    opener.focus()
    let closed = 0
    let confirmed = 0
    const view = render(
      <ConfirmDialog
        title="Revoke it?"
        body="Clients using it stop working."
        confirm="Revoke key"
        danger
        onConfirm={async () => {
          confirmed++
        }}
        onClose={() => closed++}
      />
    )
    const dialog = page().getByRole('dialog', { name: 'Revoke it?' })
    expect(dialog.contains(document.activeElement)).toBe(true)
    expect(document.activeElement?.textContent).toBe('Cancel')
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
    expect(closed).toBe(1)
    expect(confirmed).toBe(0)
    fireEvent.click(page().getByRole('button', { name: 'Revoke key' }))
    expect(confirmed).toBe(1)
    view.unmount()
    expect(document.activeElement).toBe(opener)
    opener.remove()
  })
})

describe('new key dialog', () => {
  it('creates a key at the Local sandbox, shows its value once, and keeps it in the keychain', async () => {
    const { app } = await openWindowOn({ sandbox: 'start' })
    const { CreateKeyDialog } = await import('../../src/renderer/components/CreateKeyDialog')
    const created: string[] = []
    render(<CreateKeyDialog onClose={() => {}} onCreated={(id) => created.push(id)} />)
    await waitFor(() => expect(page().getByRole('combobox')).toBeTruthy())
    expect((page().getByRole('combobox') as HTMLSelectElement).value).toBe('sandbox')
    fireEvent.click(page().getByRole('button', { name: 'Create' }))
    expect(page().getByRole('alert').textContent).toContain('Give the key a name')
    fireEvent.change(page().getByPlaceholderText('Work laptop – Claude Code'), { target: { value: 'laptop' } })
    fireEvent.click(page().getByRole('button', { name: 'Create' }))
    await waitFor(() => expect(page().getByRole('dialog', { name: 'Key created' })).toBeTruthy(), { timeout: 10_000 })
    expect(document.body.textContent).not.toMatch(/sbx_\w{8}/)
    fireEvent.click(page().getByRole('button', { name: 'Reveal' }))
    await waitFor(() => expect(page().getByTestId('revealed-secret')).toBeTruthy(), { timeout: 10_000 })
    const shown = page().getByTestId('revealed-secret').textContent!
    expect(shown).toMatch(/^sbx_/)
    expect(created).toHaveLength(1)
    expect(await app.secrets.get(`key:${created[0]}`)).toBe(shown)
    expect((await app.api.keys.list()).map((k) => k.name)).toEqual(['laptop'])
  })
})

describe('add to a client dialog', () => {
  it('previews the change with the key masked, and writes the file only when confirmed', async () => {
    const { app, useApp } = await openWindowOn({ sandbox: 'start' })
    const { key } = await app.api.keys.create({ providerId: 'sandbox', name: 'editor' })
    const { secret } = await app.api.keys.reveal({ keyId: key.id })
    await act(async () => {
      await useApp.getState().loadAll()
    })
    const { InjectDialog } = await import('../../src/renderer/components/InjectDialog')
    render(<InjectDialog keyMeta={key} onClose={() => {}} />)
    await waitFor(() => expect(page().getAllByRole('checkbox').length).toBeGreaterThan(0), { timeout: 10_000 })
    // Claude Code is ticked first; this adds the key to Cursor alone.
    fireEvent.click(page().getByRole('checkbox', { name: 'Claude Code' }))
    fireEvent.click(page().getByRole('checkbox', { name: 'Cursor' }))
    fireEvent.click(page().getByRole('button', { name: 'Preview change' }))
    await waitFor(() => expect(page().getByTestId('inject-diff').textContent).toMatch(/^@@ /), { timeout: 10_000 })
    expect(document.body.textContent).not.toContain(secret)
    const file = join(app.home, '.cursor', 'mcp.json')
    expect(await readFile(file, 'utf8').catch(() => 'absent')).toBe('absent')
    fireEvent.click(page().getByRole('button', { name: 'Write to Cursor' }))
    // Cursor's default is the keychain bridge: the entry starts Keywarden, and the key stays out of the file.
    await waitFor(async () => expect(await readFile(file, 'utf8').catch(() => '')).toContain('mcp-bridge'), { timeout: 10_000 })
    expect(await readFile(file, 'utf8')).not.toContain(secret)
    await waitFor(async () => expect((await app.api.bindings.list()).map((b) => b.client)).toEqual(['cursor']))
  })
})

describe("a key's Used by list", () => {
  it('offers to forget an entry whose file was deleted, and forgetting it writes nothing and says so', async () => {
    const { app, useApp } = await openWindowOn({ sandbox: 'start' })
    const { key } = await app.api.keys.create({ providerId: 'sandbox', name: 'editor' })
    const preview = await app.api.bindings.preview({
      keyId: key.id,
      client: 'cursor',
      scope: 'global',
      placement: 'bridge',
      serverName: 'kw-editor'
    })
    await app.api.bindings.apply({ planId: preview.planId })
    const file = join(app.home, '.cursor', 'mcp.json')
    await rm(file)
    await act(async () => {
      await useApp.getState().loadAll()
      await useApp.getState().checkDrift()
    })
    const { KeyUsedBy } = await import('../../src/renderer/components/KeyUsedBy')
    const { useToasts } = await import('../../src/renderer/stores/toast-store')
    render(<KeyUsedBy keyMeta={key} />)
    expect(page().getByText('gone from the file')).toBeTruthy()
    fireEvent.click(page().getByRole('button', { name: 'Forget it' }))
    await waitFor(async () => expect(await app.api.bindings.list()).toEqual([]), { timeout: 10_000 })
    await waitFor(() =>
      expect(useToasts.getState().toasts.map((t) => t.text)).toContain(
        `"kw-editor" was already gone from ${file}, so nothing was written there; Keywarden no longer records it (Cursor (global)).`
      )
    )
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('import key dialog', () => {
  it('names the service from the pasted prefix, checks the key with it, and keeps the value only in the keychain', async () => {
    const { app } = await openWindowOn({ sandbox: 'start' })
    const sandbox = app.services.adapterFor(app.services.vault.providers.get('sandbox'))
    const { value } = await sandbox.createKey!({ name: 'made elsewhere' })
    const { ImportKeyDialog } = await import('../../src/renderer/components/ImportKeyDialog')
    const imported: string[] = []
    render(<ImportKeyDialog onClose={() => {}} onImported={(id) => imported.push(id)} />)
    fireEvent.change(page().getByPlaceholderText('lk_…, vib_…, lysk-…'), { target: { value: `  Bearer ${value}  ` } })
    await waitFor(() => expect(document.body.textContent).toContain('This is a Local sandbox key.'), { timeout: 10_000 })
    fireEvent.change(page().getByPlaceholderText('Where is this key used?'), { target: { value: 'from the dashboard' } })
    fireEvent.submit(page().getByPlaceholderText('Where is this key used?').closest('form')!)
    await waitFor(() => expect(imported).toHaveLength(1), { timeout: 10_000 })
    expect(await app.secrets.get(`key:${imported[0]}`)).toBe(value)
    expect(await app.api.keys.list()).toMatchObject([{ name: 'from the dashboard', providerId: 'sandbox', inVault: true }])
    expect(await readFile(app.services.vault.file, 'utf8')).not.toContain(value)
  })
})
