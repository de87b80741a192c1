import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { accounts } from '../../../src/main/vault/secret-store'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

const open: Array<Awaited<ReturnType<typeof testContext>>> = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

const cursorJson = '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  }\n}\n'

async function used() {
  const c = await testContext()
  open.push(c)
  const file = join(c.ctx.home, '.cursor', 'mcp.json')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, cursorJson)
  const { key } = await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'team key' })
  const secret = (await c.ctx.api.keys.reveal({ keyId: key.id })).secret
  for (const [client, scope, placement, serverName] of [
    ['cursor', 'global', 'inline', 'team-cursor'],
    ['claude-code', 'user', 'helper', 'team-claude']
  ] as const) {
    const preview = await c.ctx.api.bindings.preview({ keyId: key.id, client, scope, placement, serverName })
    await c.ctx.api.bindings.apply({ planId: preview.planId })
  }
  return { ...c, file, key, secret }
}

describe('keywarden keys remove', () => {
  it('refuses a key clients use, naming them as the window does, with the commands that remove them instead of the Tools screen, and changes nothing', async () => {
    const c = await used()
    const added = await readFile(c.file, 'utf8')
    const fromWindow = await c.ctx.dispatch('keys.forget', { keyId: c.key.id })
    expect(fromWindow.ok).toBe(false)
    const message = fromWindow.ok ? '' : fromWindow.error.message
    const named = '"team key" is still used by Cursor (global): team-cursor and Claude Code (user): team-claude.'
    expect(message).toBe(`${named} Remove it together with those entries, or remove them from the client first (Tools screen).`)
    const fromCli = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')
    expect(fromCli.code).toBe(1)
    const [cursor, claude] = await c.ctx.api.bindings.list()
    expect(fromCli.err).toBe(
      `keywarden: ${named} To remove those entries with the key, run \`keywarden keys remove ${c.key.id.slice(0, 8)} --remove-entries --yes\`; or take each out of its client first: \`keywarden bindings remove ${cursor!.id.slice(0, 8)} --yes\` (team-cursor), \`keywarden bindings remove ${claude!.id.slice(0, 8)} --yes\` (team-claude).`
    )
    expect(fromCli.err).not.toContain('Tools')
    expect(await readFile(c.file, 'utf8')).toBe(added)
    expect(await c.ctx.api.bindings.list()).toHaveLength(2)
    expect(await c.secrets.get(accounts.key(c.key.id))).toBe(c.secret)
  })

  it('the commands the refusal names do what it says: each entry removed, then the key goes', async () => {
    const c = await used()
    const refused = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')
    const commands = [...refused.err.matchAll(/`keywarden (bindings remove \S+ --yes)`/g)].map((m) => m[1]!.split(' '))
    expect(commands).toHaveLength(2)
    for (const command of commands) expect(await cliIn(c.ctx, ...command)).toMatchObject({ code: 0 })
    expect(await readFile(c.file, 'utf8')).toBe(cursorJson)
    expect(await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Removed "team key"')
    })
    expect(await c.secrets.get(accounts.key(c.key.id))).toBeNull()
  })

  it('the --remove-entries command the refusal names removes the key with its entries', async () => {
    const c = await used()
    const refused = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')
    const command = /`keywarden (keys remove \S+ --remove-entries --yes)`/.exec(refused.err)![1]!.split(' ')
    expect(await cliIn(c.ctx, ...command)).toMatchObject({
      code: 0,
      out: expect.stringContaining('with its entries in Cursor (global): team-cursor')
    })
    expect(await readFile(c.file, 'utf8')).toBe(cursorJson)
    expect(await c.ctx.api.keys.list()).toEqual([])
  })

  it("a key a rotation holds is refused with the rotation's reason alone, not with commands that would not help", async () => {
    const c = await used()
    // VS Code keeps its own copy of the key: the rotation waits for the person, holding the key.
    const p = await c.ctx.api.bindings.preview({ keyId: c.key.id, client: 'vscode', scope: 'user', placement: 'input', serverName: 'ask' })
    await c.ctx.api.bindings.apply({ planId: p.planId })
    expect((await cliIn(c.ctx, 'rotate', c.key.id)).out).toMatch(/awaiting-person/)
    const refused = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('is being rotated')
    expect(refused.err).not.toContain('--remove-entries')
  })

  it('asks for --yes before deleting the value from the keychain', async () => {
    const c = await used()
    const refused = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--remove-entries')
    expect(refused).toMatchObject({ code: 2, err: expect.stringContaining('run again with --yes to confirm') })
    expect(await c.ctx.api.bindings.list()).toHaveLength(2)
    expect(await c.secrets.get(accounts.key(c.key.id))).toBe(c.secret)
  })

  it('with --remove-entries removes the entries, the key and its value, and says which entries went', async () => {
    const c = await used()
    const done = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--remove-entries', '--yes')
    expect(done.code).toBe(0)
    expect(done.out).toBe(
      'Removed "team key" from the vault, with its entries in Cursor (global): team-cursor, Claude Code (user): team-claude. It still works at its service: revoke it there if nothing needs it.'
    )
    expect(await readFile(c.file, 'utf8')).toBe(cursorJson)
    expect(JSON.parse(await readFile(join(c.ctx.home, '.claude.json'), 'utf8')).mcpServers).toEqual({})
    expect(await c.ctx.api.bindings.list()).toEqual([])
    expect(await c.ctx.api.keys.list()).toEqual([])
    expect(await c.secrets.get(accounts.key(c.key.id))).toBeNull()
  })

  it('removes a key no client uses without the flag, and refuses one it does not know', async () => {
    const c = await testContext()
    open.push(c)
    await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'spare' })
    expect(await cliIn(c.ctx, 'keys', 'forget', 'spare', '--yes')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Removed "spare"')
    })
    expect(await cliIn(c.ctx, 'keys', 'remove', 'spare', '--yes')).toMatchObject({
      code: 2,
      err: expect.stringContaining('No key matches')
    })
  })
})
