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
  it('refuses a key clients use with the same message as the window, plus the flag to use, and changes nothing', async () => {
    const c = await used()
    const added = await readFile(c.file, 'utf8')
    const fromWindow = await c.ctx.dispatch('keys.forget', { keyId: c.key.id })
    expect(fromWindow.ok).toBe(false)
    const message = fromWindow.ok ? '' : fromWindow.error.message
    expect(message).toContain('Cursor (global): team-cursor and Claude Code (user): team-claude')
    const fromCli = await cliIn(c.ctx, 'keys', 'remove', 'team key', '--yes')
    expect(fromCli.code).toBe(1)
    expect(fromCli.err).toBe(`keywarden: ${message} To remove those entries with the key, run again with --remove-entries.`)
    expect(await readFile(c.file, 'utf8')).toBe(added)
    expect(await c.ctx.api.bindings.list()).toHaveLength(2)
    expect(await c.secrets.get(accounts.key(c.key.id))).toBe(c.secret)
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
