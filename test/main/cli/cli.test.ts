import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

const exec = promisify(execFile)
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

describe('command line', () => {
  it('creates, lists, deactivates, validates and revokes keys', async () => {
    const c = await start()
    const created = await cli(c, 'keys', 'create', '--name', 'scripted')
    expect(created.code).toBe(0)
    expect(created.out).toContain('Its value is not printed')
    // The way it names to hand the value to a program works as written.
    const [, hand] = /`(keywarden run [^`]+)`/.exec(created.out) ?? []
    const handed = await cli(
      c,
      ...hand!.replace('<command>', process.execPath).split(' ').slice(1),
      '-e',
      'process.exit(process.env.NAME ? 0 : 3)'
    )
    expect(handed.code, handed.err).toBe(0)
    expect(created.out).not.toMatch(/sbx_\w{8}/)
    const [key] = c.ctx.services.keys.list()
    const value = (await c.ctx.services.keys.reveal(key!.id)).secret
    const list = await cli(c, 'keys', 'list')
    expect(list.out).toMatch(/scripted\s+sbx_\w{4}…\s+Local sandbox\s+active/)
    expect(list.out).not.toContain(value)
    expect((await cli(c, 'keys', 'deactivate', 'scripted')).out).toBe('"scripted" is now inactive.')
    const invalid = await cli(c, 'keys', 'validate', 'scripted')
    expect(invalid.code).toBe(1)
    expect(invalid.err).toContain('Invalid API Key')
    // Said to be off, with the way back, not only the service's "invalid".
    expect(invalid.err).toContain('"scripted" is deactivated: activate it (keywarden keys activate, or Activate in the app)')
    const noConfirm = await cli(c, 'keys', 'revoke', 'scripted')
    expect(noConfirm.code).toBe(2)
    expect(noConfirm.err).toContain('--yes')
    expect((await cli(c, 'keys', 'revoke', 'scripted', '--yes')).code).toBe(0)
    expect(JSON.parse((await cli(c, 'keys', 'list', '--json')).out)[0].status).toBe('revoked')
  })

  it("prints a new key's value only with --print-value, as text or JSON", async () => {
    const c = await start()
    const printed = await cli(c, 'keys', 'create', '--name', 'shown', '--print-value')
    expect(printed.code).toBe(0)
    const shown = c.ctx.services.keys.list().find((k) => k.name === 'shown')!
    expect(printed.out.trim().split('\n').at(-1)).toBe((await c.ctx.services.keys.reveal(shown.id)).secret)
    const json = JSON.parse((await cli(c, 'keys', 'create', '--name', 'as json', '--json', '--print-value')).out)
    expect(json.secret).toBe((await c.ctx.services.keys.reveal(json.key.id)).secret)
    const quiet = JSON.parse((await cli(c, 'keys', 'create', '--name', 'quiet', '--json')).out)
    expect(quiet).toEqual({ key: expect.objectContaining({ name: 'quiet' }) })
  })

  it('says clearly when a key reference matches nothing or bad input is given', async () => {
    const c = await start()
    expect(await cli(c, 'keys', 'revoke', 'nope', '--yes')).toMatchObject({
      code: 2,
      err: expect.stringContaining('No key matches "nope"')
    })
    expect(await cli(c, 'keys', 'create', '--name', 'x', '--expires', 'tomorrow-ish')).toMatchObject({
      code: 2,
      err: expect.stringContaining('is not a date')
    })
    // A key made already expired: refused, in the option's words, and nothing is created anywhere.
    expect(await cli(c, 'keys', 'create', '--name', 'x', '--expires', '2020-01-01')).toMatchObject({
      code: 2,
      err: 'keywarden: --expires "2020-01-01" has passed: choose an expiry date in the future.'
    })
    // The window's way (the contract) refuses it the same.
    await expect(c.ctx.api.keys.create({ providerId: 'sandbox', name: 'x', expiresAt: '2020-01-01T00:00:00.000Z' })).rejects.toThrow(
      /That date has passed/
    )
    expect(c.ctx.services.keys.list()).toEqual([])
    // An unknown provider is named as unknown, with the connected ones to choose from.
    for (const args of [
      ['keys', 'create', '--name', 'x', '--provider', 'nope'],
      ['keys', 'sync', '--provider', 'nope']
    ])
      expect(await cli(c, ...args)).toMatchObject({
        code: 2,
        err: 'keywarden: No provider "nope" is connected. Use one of: sandbox (Local sandbox). Connect others in the app.'
      })
    // What the parser cannot read is said in Keywarden's voice, as a usage error.
    expect(await cli(c, 'frobnicate')).toMatchObject({ code: 2, err: "keywarden: unknown command 'frobnicate'\n" })
    expect(await cli(c, 'keys', 'create')).toMatchObject({ code: 2, err: "keywarden: required option '--name <name>' not specified\n" })
  })

  it('injects with a preview, lists bindings, and undoes the change', async () => {
    const c = await start()
    await cli(c, 'keys', 'create', '--name', 'tool key')
    const dry = await cli(c, 'inject', 'tool key', '--client', 'cursor')
    expect(dry.code).toBe(2)
    expect(dry.out).toContain('+++ ')
    expect(dry.err).toContain('--yes')
    const done = await cli(c, 'inject', 'tool key', '--client', 'cursor', '--yes')
    expect(done.code).toBe(0)
    // Cursor's default keeps the key out of its file: the keychain bridge.
    expect((await cli(c, 'bindings')).out).toMatch(/tool key\s+cursor\s+global\s+\S+\s+bridge/)
    expect((await cli(c, 'undo')).out).toContain('Undone: Add')
    expect(c.ctx.services.bindings.list()).toEqual([])
  })

  it('rotates from the command line, with a dry run first', async () => {
    const c = await start()
    await cli(c, 'keys', 'create', '--name', 'rot')
    const dry = await cli(c, 'rotate', 'rot', '--dry-run')
    expect(dry.out).toContain('Dry run: nothing changed.')
    expect(c.ctx.services.journal.list()).toEqual([])
    const real = await cli(c, 'rotate', 'rot')
    expect(real.code).toBe(0)
    expect(real.out).toMatch(/Rotation \w{8}: done/)
    expect((await cli(c, 'rotations')).out).toMatch(/rot\s+\S+\s+done/)
  })

  it('prints header JSON for a binding from the built binary (what Claude Code runs)', async () => {
    const c = await start()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'helper' })
    const preview = await c.ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'helper' })
    const { binding } = await c.ctx.services.bindings.apply(preview.planId)
    const { stdout } = await exec(process.execPath, [
      resolve('out/cli/keywarden.cjs'),
      'mcp-headers',
      binding.id,
      '--data-dir',
      c.ctx.dataDir
    ])
    expect(JSON.parse(stdout)).toEqual({ Authorization: `Bearer ${secret}` })
    const bad = await exec(process.execPath, [
      resolve('out/cli/keywarden.cjs'),
      'mcp-headers',
      'no-such-binding',
      '--data-dir',
      c.ctx.dataDir
    ]).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('No binding no-such-binding') })
    // Asked for its help, each answers on stdout and exits 0.
    for (const command of ['mcp-headers', 'mcp-bridge']) {
      const help = await exec(process.execPath, [resolve('out/cli/keywarden.cjs'), command, '--help'])
      expect(help).toEqual({ stdout: expect.stringMatching(new RegExp(`^usage: keywarden ${command} <binding-id>`)), stderr: '' })
    }
  })

  it("starts by name as the package's bin, with the version it was built as", async () => {
    const bin = (JSON.parse(await readFile('package.json', 'utf8')) as { bin: Record<string, string> }).bin['keywarden']!
    // Executable as built: a rebuild does not take the bit away from a linked command.
    expect((await stat(bin)).mode & 0o111).toBe(0o111)
    // Run as a program, not through node: what `npm link` or `npx keywarden` does.
    const { stdout } = await exec(resolve(bin), ['--version'], {
      env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` }
    })
    expect(stdout.trim()).toBe((JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version)
  })

  // This machine's own Node (Debian's) is older than the command line needs; elsewhere there may be none.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
    (n) => existsSync(n) && Number(execFileSync(n, ['-p', 'process.versions.node.split(".")[0]']).toString()) < 22
  )
  it.skipIf(!oldNode)('started by a Node older than it needs, says so and which Node it found, and changes nothing', async () => {
    const c = await start()
    const run = await exec(oldNode!, [
      resolve('out/cli/keywarden.cjs'),
      'keys',
      'create',
      '--name',
      'old node',
      '--data-dir',
      c.ctx.dataDir
    ]).catch((e: { code: number; stdout: string; stderr: string }) => e)
    expect(run).toMatchObject({ code: 1, stdout: '' })
    expect((run as { stderr: string }).stderr).toMatch(
      new RegExp(`^keywarden: needs Node 22\\.12 or newer, and ${oldNode} is Node 2\\d\\.`)
    )
    expect(c.ctx.services.keys.list()).toEqual([])
  })

  it("creates keys from the command line while the window creates others, and neither loses the other's", async () => {
    const c = await start()
    const fromCli = [1, 2, 3].map((i) =>
      exec(process.execPath, [resolve('out/cli/keywarden.cjs'), 'keys', 'create', '--name', `cli ${i}`, '--data-dir', c.ctx.dataDir])
    )
    const fromWindow = [1, 2, 3].map((i) => c.ctx.services.keys.create({ providerId: 'sandbox', name: `window ${i}` }))
    await Promise.all([...fromCli, ...fromWindow])
    const names = c.ctx.services.keys
      .list()
      .map((k) => k.name)
      .sort()
    expect(names).toEqual(['cli 1', 'cli 2', 'cli 3', 'window 1', 'window 2', 'window 3'])
    for (const k of c.ctx.services.keys.list()) expect((await c.ctx.services.keys.validate(k.id)).valid).toBe(true)
  })
})
