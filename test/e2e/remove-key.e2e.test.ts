import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { windowSession } from './window-support'

const session = windowSession()
beforeAll(session.start)
afterAll(session.stop)
afterEach(session.cleanup)

const cursorJson = '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  }\n}\n'

describe('Remove from vault, for a key clients use', () => {
  it('names the clients, says a failure inside the dialog, removes the entries with the key, and the toast undoes it', async () => {
    const { harness, page, stray } = await session.open()
    const { ctx } = harness
    const cursor = join(ctx.home, '.cursor', 'mcp.json')
    await mkdir(dirname(cursor), { recursive: true })
    await writeFile(cursor, cursorJson)
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'team' })
    for (const [client, scope, placement] of [
      ['claude-code', 'user', 'helper'],
      ['cursor', 'global', 'inline']
    ] as const) {
      const p = await ctx.services.bindings.preview({ keyId: key.id, client, scope, placement })
      await ctx.services.bindings.apply(p.planId)
    }
    // Revoked by the person after the window warned that clients still use it: only "Remove from vault" is left.
    await ctx.services.keys.revoke(key.id)
    const claude = join(ctx.home, '.claude.json')
    const added = { claude: await readFile(claude, 'utf8'), cursor: await readFile(cursor, 'utf8') }

    await page.getByRole('row', { name: /team/ }).click()
    await page.getByRole('complementary', { name: 'Key team' }).getByRole('button', { name: 'Remove from vault' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove "team" from the vault?' })
    const listed = dialog.getByRole('list', { name: 'Clients that use this key' }).getByRole('listitem')
    expect((await listed.allTextContents()).map((t) => t.split(' /')[0]!.trim())).toEqual([
      'Claude Code (user): local-sandbox-team',
      'Cursor (global): local-sandbox-team'
    ])
    const confirm = dialog.getByRole('button', { name: 'Remove the key and its 2 entries' })

    // Cursor's file was broken since: said inside the dialog, the Claude Code entry put back.
    await writeFile(cursor, '{ "mcpServers": {{ }')
    await confirm.click()
    await dialog
      .getByRole('alert')
      .getByText(/"team" was not removed from the vault: .*entry already removed was put back/)
      .waitFor()
    expect(await readFile(claude, 'utf8')).toBe(added.claude)
    expect(await stray()).toEqual([])
    expect(await page.locator('.toasts [role="alert"]').allTextContents()).toEqual([])

    await writeFile(cursor, added.cursor)
    await confirm.click()
    await dialog.waitFor({ state: 'detached' })
    const toast = page.locator('.toasts .toast').filter({ hasText: 'Removed "team" from the vault, with its 2 entries' })
    await toast.waitFor()
    expect(await readFile(cursor, 'utf8')).toBe(cursorJson)
    expect(JSON.parse(await readFile(claude, 'utf8')).mcpServers).toEqual({})
    await page.getByRole('row', { name: /team/ }).waitFor({ state: 'detached' })

    // The Undo in the toast is clickable (nothing over it) and brings back the key and both entries.
    await toast.getByRole('button', { name: 'Undo' }).click()
    await page.getByText('"team" is back in the vault, with its 2 entries.').waitFor()
    await page.getByRole('row', { name: /team/ }).waitFor()
    expect(await readFile(claude, 'utf8')).toBe(added.claude)
    expect(await readFile(cursor, 'utf8')).toBe(added.cursor)
    expect((await ctx.api.bindings.list()).map((b) => b.client).sort()).toEqual(['claude-code', 'cursor'])
    expect(await stray()).toEqual([])
  }, 60_000)
})
