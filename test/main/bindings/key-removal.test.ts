import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientId, Placement } from '../../../src/shared/schemas'
import { accounts } from '../../../src/main/vault/secret-store'
import { testContext } from '../../support/context'

const run = promisify(execFile)
const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id))
type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

// What a person already has in each file before Keywarden touches it: other servers, settings,
// comments, odd spacing. Removing the key's entries must leave exactly this.
const claudeJson = `{
  "numStartups": 42,
  "mcpServers": {
    "their-own": { "type": "http", "url": "https://example.com/mcp" }
  },
  "projects": {}
}
`
const cursorJson = `{
    "mcpServers": {
        "docs": {"url": "https://docs.example/mcp"}
    }
}
`
const vscodeJson = `// my servers
{
  "servers": {
    "gh": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" } // keep this comment
  },
  "inputs": []
}
`

async function world() {
  const c = await testContext()
  open.push(c)
  const { ctx } = c
  const files = {
    claude: join(ctx.home, '.claude.json'),
    cursor: join(ctx.home, '.cursor', 'mcp.json'),
    vscode: join(ctx.home, '.config', 'Code', 'User', 'mcp.json')
  }
  const original = { claude: claudeJson, cursor: cursorJson, vscode: vscodeJson }
  for (const [which, file] of Object.entries(files)) {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, original[which as keyof typeof files])
  }
  const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'shared key' })
  const secret = (await ctx.api.keys.reveal({ keyId: key.id })).secret
  const add = async (client: ClientId, scope: string, placement: Placement, serverName: string) => {
    const preview = await ctx.api.bindings.preview({ keyId: key.id, client, scope, placement, serverName })
    return ctx.api.bindings.apply({ planId: preview.planId })
  }
  const helper = await add('claude-code', 'user', 'helper', 'lab-helper')
  await add('cursor', 'global', 'inline', 'lab-inline')
  await add('vscode', 'user', 'bridge', 'lab-bridge')
  const read = async () => ({
    claude: await readFile(files.claude, 'utf8'),
    cursor: await readFile(files.cursor, 'utf8'),
    vscode: await readFile(files.vscode, 'utf8')
  })
  const added = await read()
  return { ...c, files, original, added, read, key, secret, helper, add }
}

/** Runs the headersHelper Claude Code would run, as Claude Code runs it. */
async function runHelper(file: string, server: string) {
  const command: string = JSON.parse(await readFile(file, 'utf8')).mcpServers[server].headersHelper
  return run('sh', ['-c', command], { env: { ...process.env, KEYWARDEN_DATA_DIR: '' } })
}

describe('removing a key that clients use', () => {
  it('is refused, naming every client that uses it, and changes nothing', async () => {
    const w = await world()
    const bindings = await w.ctx.api.bindings.list()
    const changes = await w.ctx.api.changes.list()
    const refused = await w.ctx.dispatch('keys.forget', { keyId: w.key.id })
    expect(refused.ok).toBe(false)
    const message = refused.ok ? '' : refused.error.message
    expect(refused.ok ? undefined : refused.error.code).toBe('conflict')
    for (const name of ['Claude Code (user): lab-helper', 'Cursor (global): lab-inline', 'VS Code (user): lab-bridge'])
      expect(message).toContain(name)
    expect(message).toContain('Remove it together with those entries')
    expect(await w.read()).toEqual(w.added)
    expect(byId(await w.ctx.api.bindings.list())).toEqual(byId(bindings))
    expect(await w.ctx.api.changes.list()).toEqual(changes)
    expect(await w.secrets.get(accounts.key(w.key.id))).toBe(w.secret)
  })

  it('with its entries, leaves every file byte for byte as before the key was added, and deletes the value', async () => {
    const w = await world()
    const result = await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })
    expect(result.removed).toEqual(['Claude Code (user): lab-helper', 'Cursor (global): lab-inline', 'VS Code (user): lab-bridge'])
    expect(await w.read()).toEqual(w.original)
    expect(await w.ctx.api.bindings.list()).toEqual([])
    expect((await w.ctx.api.keys.list()).map((k) => k.id)).not.toContain(w.key.id)
    expect(await w.secrets.get(accounts.key(w.key.id))).toBeNull()
    // Each entry's removal is a change of its own in the history, like a removal on the Tools screen.
    const summaries = (await w.ctx.api.changes.list()).map((c) => c.summary)
    for (const name of ['lab-helper', 'lab-inline', 'lab-bridge'])
      expect(summaries).toContainEqual(expect.stringMatching(`Remove "${name}"`))
  })

  it('says an entry already gone from its file was forgotten, not removed', async () => {
    const w = await world()
    const inline = (await w.ctx.api.bindings.list()).find((b) => b.serverName === 'lab-inline')!
    await rm(inline.file)
    const result = await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })
    expect(result.removed).toEqual([
      'Claude Code (user): lab-helper',
      'Cursor (global): lab-inline (already gone from its file; forgotten)',
      'VS Code (user): lab-bridge'
    ])
    await expect(stat(inline.file)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('is refused when an entry was added after the person was shown the list, and removes nothing', async () => {
    const w = await world()
    const shown = (await w.ctx.api.bindings.list()).map((b) => b.id)
    await w.add('claude-code', 'user', 'helper', 'added-meanwhile')
    const refused = await w.ctx.dispatch('keys.forget', { keyId: w.key.id, removeEntries: true, bindingIds: shown })
    expect(refused.ok ? undefined : refused.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('added-meanwhile') })
    expect(await w.ctx.api.bindings.list()).toHaveLength(4)
    expect(await w.secrets.get(accounts.key(w.key.id))).toBe(w.secret)
    const all = (await w.ctx.api.bindings.list()).map((b) => b.id)
    expect((await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true, bindingIds: all })).removed).toHaveLength(4)
  })

  it('puts back the entries already removed and keeps the key when one file cannot be changed', async () => {
    const w = await world()
    const bindings = await w.ctx.api.bindings.list()
    // Someone breaks the last file between the add and the removal.
    const broken = w.added.vscode.replace('"servers": {', '"servers": {{')
    await writeFile(w.files.vscode, broken)
    const refused = await w.ctx.dispatch('keys.forget', { keyId: w.key.id, removeEntries: true })
    expect(refused.ok).toBe(false)
    const message = refused.ok ? '' : refused.error.message
    expect(message).toContain('"shared key" was not removed from the vault')
    expect(message).toContain(w.files.vscode)
    expect(message).toContain('entries already removed were put back')
    expect(await w.read()).toEqual({ ...w.added, vscode: broken })
    expect(byId(await w.ctx.api.bindings.list())).toEqual(byId(bindings))
    expect((await w.ctx.api.keys.list()).map((k) => k.id)).toContain(w.key.id)
    expect(await w.secrets.get(accounts.key(w.key.id))).toBe(w.secret)
    // The helper entry put back still finds its key.
    expect(JSON.parse((await runHelper(w.files.claude, 'lab-helper')).stdout)).toEqual({ Authorization: `Bearer ${w.secret}` })
  }, 30_000)

  it('undo brings back the value, the key and every entry, and the helper entry finds its key again', async () => {
    const w = await world()
    const bindings = await w.ctx.api.bindings.list()
    const { undoId } = await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })
    await expect(runHelper(w.files.claude, 'lab-helper')).rejects.toThrow()
    await w.ctx.api.keys.undoForget({ undoId })
    expect(await w.read()).toEqual(w.added)
    expect(byId(await w.ctx.api.bindings.list())).toEqual(byId(bindings))
    expect(await w.secrets.get(accounts.key(w.key.id))).toBe(w.secret)
    expect((await w.ctx.api.keys.list()).find((k) => k.id === w.key.id)).toMatchObject({ name: 'shared key', inVault: true })
    expect(JSON.parse((await runHelper(w.files.claude, 'lab-helper')).stdout)).toEqual({ Authorization: `Bearer ${w.secret}` })
    // Once is enough: a second undo is refused in plain words.
    await expect(w.ctx.api.keys.undoForget({ undoId })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('can no longer be undone')
    })
  }, 30_000)

  it("refuses to undo one entry's removal from the history once its key is gone, rather than leave the helper asking for nothing", async () => {
    const w = await world()
    await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })
    const removal = (await w.ctx.api.changes.list()).find((c) => c.summary.includes('"lab-helper"'))!
    const before = await w.read()
    await expect(w.ctx.api.changes.undo({ changeId: removal.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /asks Keywarden for its key each time Claude Code connects, but its key was removed from the vault.*Nothing was changed/
      )
    })
    expect(await w.read()).toEqual(before)
    expect(await w.ctx.api.bindings.list()).toEqual([])
    // An entry holding the key in plain text would come back untracked, never rotated: refused too.
    const inline = (await w.ctx.api.changes.list()).find((c) => c.summary.includes('"lab-inline"'))!
    await expect(w.ctx.api.changes.undo({ changeId: inline.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /"lab-inline" would come back with a key in plain text that Keywarden no longer keeps.*Nothing was changed/
      )
    })
    expect(await w.read()).toEqual(before)
  })

  it('a key revoked while clients still used it comes back with its entries on undo, and the helper says it is revoked', async () => {
    const w = await world()
    await w.ctx.api.keys.revoke({ keyId: w.key.id })
    const bindings = await w.ctx.api.bindings.list()
    const { undoId } = await w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })
    expect(await w.read()).toEqual(w.original)
    await w.ctx.api.keys.undoForget({ undoId })
    expect(await w.read()).toEqual(w.added)
    expect(byId(await w.ctx.api.bindings.list())).toEqual(byId(bindings))
    expect((await w.ctx.api.keys.list()).find((k) => k.id === w.key.id)?.status).toBe('revoked')
    const helper = await runHelper(w.files.claude, 'lab-helper').catch((error: { stderr: string }) => error)
    expect(helper.stderr).toContain('is revoked')
  }, 30_000)

  it('is refused while a rotation holds the key, before any file changes', async () => {
    const w = await world()
    // VS Code's "ask once" copy needs the person: the rotation waits there, holding the key.
    await w.add('vscode', 'user', 'input', 'lab-ask')
    const rotation = await w.ctx.services.rotation.start(w.key.id)
    expect(rotation.state).toBe('awaiting-person')
    const during = await w.read()
    await expect(w.ctx.api.keys.forget({ keyId: w.key.id, removeEntries: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('"shared key" is being rotated')
    })
    expect(await w.read()).toEqual(during)
    expect(await w.ctx.api.bindings.list()).toHaveLength(4)
  }, 30_000)

  it('a key no client uses is removed at once, and its undo puts the value back', async () => {
    const c = await testContext()
    open.push(c)
    const { key } = await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'unused' })
    const secret = (await c.ctx.api.keys.reveal({ keyId: key.id })).secret
    const { removed, undoId } = await c.ctx.api.keys.forget({ keyId: key.id })
    expect(removed).toEqual([])
    expect(await c.secrets.get(accounts.key(key.id))).toBeNull()
    await c.ctx.api.keys.undoForget({ undoId })
    expect(await c.secrets.get(accounts.key(key.id))).toBe(secret)
    expect((await c.ctx.api.keys.list()).map((k) => k.id)).toEqual([key.id])
  })
})

describe('undoing the removal of one entry', () => {
  it('records its binding again, so a helper entry put back finds its key', async () => {
    const w = await world()
    const removed = await w.ctx.api.bindings.remove({ bindingId: w.helper.binding.id })
    const changeId = 'changeId' in removed ? removed.changeId : 'none: the entry was written'
    expect((await w.ctx.api.bindings.list()).map((b) => b.id)).not.toContain(w.helper.binding.id)
    await w.ctx.api.changes.undo({ changeId })
    expect(await w.read()).toEqual(w.added)
    expect((await w.ctx.api.bindings.list()).find((b) => b.id === w.helper.binding.id)).toEqual(w.helper.binding)
    expect(JSON.parse((await runHelper(w.files.claude, 'lab-helper')).stdout)).toEqual({ Authorization: `Bearer ${w.secret}` })
  }, 30_000)
})
