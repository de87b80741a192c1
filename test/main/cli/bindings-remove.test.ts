import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readBoundKey } from '../../../src/main/bridge/bound-key'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})
const cli = (c: Ctx, ...args: string[]) => cliIn(c.ctx, ...args)
const start = async () => {
  const c = await testContext()
  open.push(c)
  return c
}
const cursorFile = (c: Ctx) => join(c.root, 'home', '.cursor', 'mcp.json')
const servers = async (c: Ctx) => JSON.parse(await readFile(cursorFile(c), 'utf8')).mcpServers as Record<string, unknown>

async function bound(c: Ctx, placement: 'inline' | 'bridge', name = 'kw-entry') {
  const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: `key ${name}` })
  const p = await c.ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement, serverName: name })
  const { binding, changeId } = await c.ctx.services.bindings.apply(p.planId)
  return { key, secret, binding, changeId }
}

/**
 * An inline entry whose key is being rotated, the rotation waiting for the person (VS Code keeps
 * its own copy of the key): the entry holds the new key, the old one is not revoked yet.
 */
async function rotationWaitingForPerson(c: Ctx) {
  const { key, changeId } = await bound(c, 'inline')
  const p = await c.ctx.services.bindings.preview({ keyId: key.id, client: 'vscode', scope: 'user', placement: 'input', serverName: 'ask' })
  await c.ctx.services.bindings.apply(p.planId)
  expect((await cli(c, 'rotate', key.id)).out).toMatch(/awaiting-person/)
  return { key, changeId }
}

describe('removing a binding from the command line', () => {
  it('removes the entry by the short id `bindings` lists, and undo brings back the entry and the binding', async () => {
    const c = await start()
    const { binding } = await bound(c, 'bridge')
    await bound(c, 'bridge', 'kw-other')
    const dry = await cli(c, 'bindings', 'remove', binding.id.slice(0, 8))
    expect(dry.code).toBe(2)
    expect(Object.keys(await servers(c))).toContain('kw-entry')
    const removed = await cli(c, 'bindings', 'remove', binding.id.slice(0, 8), '--yes')
    expect(removed.code).toBe(0)
    expect(Object.keys(await servers(c))).toEqual(['kw-other'])
    expect(c.ctx.services.bindings.list().map((b) => b.serverName)).toEqual(['kw-other'])
    const changeId = /keywarden undo (\S+)/.exec(removed.out)![1]!
    expect((await cli(c, 'undo', changeId)).code).toBe(0)
    expect(Object.keys(await servers(c)).sort()).toEqual(['kw-entry', 'kw-other'])
    const back = c.ctx.services.bindings.list().find((b) => b.serverName === 'kw-entry')
    expect(back).toEqual(binding)
    // The restored entry works again: the bridge finds its binding.
    expect((await readBoundKey(binding.id, join(c.root, 'data'), c.secrets)).serverName).toBe('kw-entry')
  })

  it('refuses an unknown or ambiguous id and a listed column that is not an id', async () => {
    const c = await start()
    await bound(c, 'bridge')
    expect(await cli(c, 'bindings', 'remove', 'nothing1', '--yes')).toMatchObject({
      code: 2,
      err: expect.stringContaining('No binding "nothing1"')
    })
    expect(await cli(c, 'bindings', 'remove', 'kw-entry', '--yes')).toMatchObject({ code: 2 })
    expect(Object.keys(await servers(c))).toEqual(['kw-entry'])
  })

  it('undoing an add after a finished rotation points at `bindings remove`, which takes the entry out', async () => {
    const c = await start()
    const { key, secret, changeId } = await bound(c, 'inline')
    expect((await cli(c, 'rotate', key.id)).code).toBe(0)
    const newer = c.ctx.services.bindings.list()[0]!
    expect(newer.keyId).not.toBe(key.id)
    // The add's backup held the old key, which the rotation revoked: it is gone from the history.
    const undone = await cli(c, 'undo', changeId)
    expect(undone.code).toBe(2)
    const advice = /`keywarden (bindings remove) <binding>`/.exec(undone.err)![1]!
    expect(Object.keys(await servers(c))).toEqual(['kw-entry'])
    const removed = await cli(c, ...advice.split(' '), newer.id.slice(0, 8), '--yes')
    expect(removed.code).toBe(0)
    expect(await servers(c)).toEqual({})
    expect(await readFile(cursorFile(c), 'utf8')).not.toContain(secret.slice(8))
    expect(c.ctx.services.bindings.list()).toEqual([])
  })

  it("undoing an add while a rotation waits for the person takes out the entry holding the rotation's new key", async () => {
    const c = await start()
    const { changeId } = await rotationWaitingForPerson(c)
    const held = JSON.stringify(await servers(c))
    const undone = await cli(c, 'undo', changeId)
    expect(undone, held).toMatchObject({ code: 0 })
    expect(await servers(c)).toEqual({})
    expect(c.ctx.services.bindings.list().map((b) => b.serverName)).toEqual(['ask'])
  })

  it('undoing an add still refuses when the person edited the entry after a rotation wrote it', async () => {
    const c = await start()
    const { changeId } = await rotationWaitingForPerson(c)
    await writeFile(cursorFile(c), (await readFile(cursorFile(c), 'utf8')).replace('"url"', '"timeout": 30, "url"'))
    const undone = await cli(c, 'undo', changeId)
    expect(undone.code).not.toBe(0)
    expect(undone.err).toContain('was changed after Keywarden wrote it')
    expect(Object.keys(await servers(c))).toEqual(['kw-entry'])
  })

  it('does not bring back an entry whose key was revoked after the removal', async () => {
    const c = await start()
    const { key, binding } = await bound(c, 'bridge')
    const removed = await c.ctx.api.bindings.remove({ bindingId: binding.id })
    const changeId = 'changeId' in removed ? removed.changeId : 'none: the entry was written'
    await c.ctx.api.keys.revoke({ keyId: key.id })
    const undone = await cli(c, 'undo', changeId)
    expect(undone).toMatchObject({ code: 1, err: expect.stringContaining('is revoked') })
    expect(await servers(c)).toEqual({})
  })
})

describe('removing a binding whose entry is already gone', () => {
  it('forgets the binding of a deleted file from the command line, says so, and creates no file', async () => {
    const c = await start()
    const { binding } = await bound(c, 'inline')
    await rm(cursorFile(c))
    // Asked first, it says what --yes will do: forget, not remove from the file.
    expect(await cli(c, 'bindings', 'remove', binding.id.slice(0, 8))).toMatchObject({
      code: 2,
      err: `keywarden: "kw-entry" is already gone from ${cursorFile(c)} (cursor, global): Keywarden only forgets it, writing nothing. Run again with --yes to forget it.`
    })
    const removed = await cli(c, 'bindings', 'remove', binding.id.slice(0, 8), '--yes')
    expect(removed).toMatchObject({ code: 0, err: '' })
    expect(removed.out).toBe(
      `"kw-entry" was already gone from ${cursorFile(c)}, so nothing was written there; Keywarden no longer records it (Cursor (global)).`
    )
    expect(c.ctx.services.bindings.list()).toEqual([])
    await expect(stat(cursorFile(c))).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await c.ctx.api.changes.list()).toHaveLength(1)
  })

  it('the window gets the same answer for an entry taken out of the file by hand, and nothing in the file changes', async () => {
    const c = await start()
    const { binding } = await bound(c, 'bridge')
    const { binding: other } = await bound(c, 'bridge', 'kw-other')
    const { binding: third } = await bound(c, 'bridge', 'kw-third')
    const byHand = JSON.stringify({ mcpServers: { 'kw-third': (await servers(c))['kw-third'] }, theme: 'dark' }, null, 4)
    await writeFile(cursorFile(c), byHand)
    const fromWindow = await c.ctx.dispatch('bindings.remove', { bindingId: binding.id })
    expect(fromWindow).toEqual({
      ok: true,
      data: {
        alreadyGone: true,
        message: `"kw-entry" was already gone from ${cursorFile(c)}, so nothing was written there; Keywarden no longer records it (Cursor (global)).`
      }
    })
    const fromCli = await cli(c, 'bindings', 'remove', other.id.slice(0, 8), '--yes')
    expect(fromCli).toMatchObject({ code: 0, out: expect.stringContaining('"kw-other" was already gone from') })
    expect(await readFile(cursorFile(c), 'utf8')).toBe(byHand)
    expect(c.ctx.services.bindings.list()).toEqual([third])
  })

  it('still refuses a file that is not valid JSON, naming the file and line, from both sides, and writes nothing', async () => {
    const c = await start()
    const { binding } = await bound(c, 'bridge')
    const broken = (await readFile(cursorFile(c), 'utf8')).replace('"mcpServers": {', '"mcpServers": {,,')
    await writeFile(cursorFile(c), broken)
    const fromCli = await cli(c, 'bindings', 'remove', binding.id.slice(0, 8), '--yes')
    expect(fromCli.code).not.toBe(0)
    expect(fromCli.err).toContain(cursorFile(c))
    expect(fromCli.err).toMatch(/line 2/)
    const fromWindow = await c.ctx.dispatch('bindings.remove', { bindingId: binding.id })
    expect(fromWindow).toMatchObject({ ok: false, error: { code: 'file-unparseable' } })
    expect(fromCli.err).toBe(`keywarden: ${fromWindow.ok ? '' : fromWindow.error.message}`)
    expect(await readFile(cursorFile(c), 'utf8')).toBe(broken)
    expect(c.ctx.services.bindings.list()).toEqual([binding])
  })
})

describe('a revoked key behind a bridge entry', () => {
  it('says what to do, and doing it is accepted: remove the entry, add an active key to the client', async () => {
    const c = await start()
    const { key, binding } = await bound(c, 'bridge')
    await c.ctx.api.keys.revoke({ keyId: key.id })
    const error = await readBoundKey(binding.id, join(c.root, 'data'), c.secrets).catch((e: Error) => e)
    const message = String(error)
    expect(message).toContain('is revoked')
    // Adding the revoked key again is refused as revoked, not as a key missing from the vault.
    expect((await cli(c, 'inject', key.id, '--client', 'cursor', '--name', 'again', '--yes')).err).toContain('is revoked; only active keys')
    const remove = /`keywarden (bindings remove \S+)`/.exec(message)![1]!.split(' ')
    const inject = /`keywarden (inject <key> --client \S+)`/.exec(message)![1]!.split(' ')
    expect((await cli(c, ...remove, '--yes')).code).toBe(0)
    const { key: fresh } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'fresh' })
    const added = await cli(c, ...inject.map((a) => (a === '<key>' ? fresh.id : a)), '--name', 'kw-entry', '--yes')
    expect(added.code).toBe(0)
    expect(Object.keys(await servers(c))).toEqual(['kw-entry'])
  })
})

describe('a key value pasted where a name or id goes', () => {
  it('is never echoed back past its prefix, whichever command or option receives it', async () => {
    const c = await start()
    const { secret } = await bound(c, 'bridge')
    const body = secret.slice(8)
    const attempts = [
      ['keys', 'validate', secret],
      ['inject', secret, '--client', 'codex'],
      ['bindings', 'remove', secret, '--yes'],
      ['undo', secret],
      ['rotate', secret],
      ['run', '--env', `FOO=${secret}`, '--', 'true'],
      ['run', '--client', secret, '--', 'true'],
      ['keys', 'create', '--name', 'x', '--expires', secret],
      ['inject', 'key kw-entry', '--client', secret],
      ['keys', 'list', `--${secret}`],
      ['activity', '--since', secret]
    ]
    for (const args of attempts) {
      const r = await cli(c, ...args)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.err.length, args.join(' ')).toBeGreaterThan(0)
      expect(r.err + r.out, args.join(' ')).not.toContain(body.slice(0, 12))
    }
  })
})
