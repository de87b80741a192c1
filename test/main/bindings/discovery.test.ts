import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

describe('discovering keys already pasted into client configs', () => {
  it('finds a managed key by fingerprint, adopts it, and imports an unknown one from the file', async () => {
    const c = await testContext()
    open.push(c)
    const { ctx } = c
    const { key: managed, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'pasted by hand' })
    // A key created at the service by someone else, pasted into VS Code by hand.
    const sandbox = ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!)
    const stranger = await sandbox.createKey!({ name: 'from another laptop' })
    await mkdir(join(ctx.home, '.cursor'), { recursive: true })
    await writeFile(
      join(ctx.home, '.cursor', 'mcp.json'),
      JSON.stringify({ mcpServers: { mine: { url: ctx.services.sandbox!.mcpUrl, headers: { Authorization: `Bearer ${secret}` } } } })
    )
    const vscodeDir = join(ctx.home, '.config', 'Code', 'User')
    await mkdir(vscodeDir, { recursive: true })
    await writeFile(
      join(vscodeDir, 'mcp.json'),
      `{\n  // by hand\n  "servers": { "other": { "type": "http", "url": "${ctx.services.sandbox!.mcpUrl}", "headers": { "Authorization": "Bearer ${stranger.value}" } } }\n}\n`
    )

    const scan = await ctx.services.bindings.scan()
    const mine = scan.servers.find((s) => s.serverName === 'mine')!
    const other = scan.servers.find((s) => s.serverName === 'other')!
    expect(mine).toMatchObject({ client: 'cursor', keyId: managed.id, adoptable: true, unmanaged: false, plaintext: true })
    expect(other).toMatchObject({ client: 'vscode', knownKind: 'sandbox', unmanaged: true, adoptable: false })
    expect(JSON.stringify(scan)).not.toContain(secret)
    expect(JSON.stringify(scan)).not.toContain(stranger.value)

    const adopted = await ctx.services.bindings.adopt({ client: 'cursor', scope: 'global', serverName: 'mine', keyId: managed.id })
    expect(adopted).toMatchObject({ placement: 'inline', keyId: managed.id })
    const imported = await ctx.services.bindings.importFound({
      client: 'vscode',
      scope: 'user',
      serverName: 'other',
      name: 'other (VS Code)'
    })
    const key = ctx.services.keys.list().find((k) => k.id === imported.keyId)!
    expect(key).toMatchObject({ name: 'other (VS Code)', inVault: true, prefix: stranger.value.slice(0, 8) })
    expect(await ctx.secrets.get(`key:${key.id}`)).toBe(stranger.value)
    const rescan = await ctx.services.bindings.scan()
    expect(rescan.servers.filter((s) => s.adoptable || s.unmanaged)).toEqual([])
    // The file itself is untouched by discovery.
    expect(await readFile(join(vscodeDir, 'mcp.json'), 'utf8')).toContain('// by hand')
  })

  it('reports a config that does not parse as a problem, without failing the scan', async () => {
    const c = await testContext()
    open.push(c)
    await mkdir(join(c.ctx.home, '.cursor'), { recursive: true })
    await writeFile(join(c.ctx.home, '.cursor', 'mcp.json'), '{ "mcpServers": { ')
    const scan = await c.ctx.services.bindings.scan()
    expect(scan.problems[0]?.message).toMatch(/mcp\.json has a syntax error at line 1/)
  })
})

describe('server names that are also names of object internals', () => {
  it('adopts or imports no "constructor", "__proto__" or "toString" entry that is not in the file, and records nothing', async () => {
    const c = await testContext({ sandbox: 'off' })
    open.push(c)
    const { ctx } = c
    const at = new Date().toISOString()
    await ctx.services.vault.providers.add({ id: 'sandbox', kind: 'sandbox', name: 'Local sandbox', createdAt: at, sync: {} })
    const key = await ctx.services.vault.keys.add({
      id: 'k1',
      providerId: 'sandbox',
      name: 'k',
      prefix: 'sbx_aaaa',
      createdAt: at,
      status: 'active',
      inVault: true,
      addedAt: at
    })
    await mkdir(join(ctx.home, '.cursor'), { recursive: true })
    await writeFile(join(ctx.home, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { real: { url: 'https://mcp.example/mcp' } } }))
    for (const serverName of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const adopted = await ctx.dispatch('bindings.adopt', { client: 'cursor', scope: 'global', serverName, keyId: key.id })
      expect(adopted, serverName).toMatchObject({ ok: false, error: { code: 'not-found' } })
      const imported = await ctx.dispatch('bindings.importFound', { client: 'cursor', scope: 'global', serverName, name: 'x' })
      expect(imported, serverName).toMatchObject({ ok: false, error: { code: 'not-found' } })
    }
    expect(await ctx.api.bindings.list()).toEqual([])
    expect(await readFile(join(ctx.home, '.cursor', 'mcp.json'), 'utf8')).not.toContain('constructor')
  })
})
