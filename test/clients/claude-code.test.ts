import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { claudeIn } from './claude'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

const claude = (c: Ctx, ...args: string[]) => claudeIn(c.ctx.home, args)

async function injected(placement: 'helper' | 'inline') {
  const c = await testContext()
  open.push(c)
  const { mkdir } = await import('node:fs/promises')
  await mkdir(c.ctx.home, { recursive: true })
  const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: `claude ${placement}` })
  const preview = await c.ctx.services.bindings.preview({
    keyId: key.id,
    client: 'claude-code',
    scope: 'user',
    placement,
    serverName: `kw-${placement}`
  })
  const { binding } = await c.ctx.services.bindings.apply(preview.planId)
  return { c, key, binding, secret }
}

describe('Claude Code (real CLI from the npm registry)', () => {
  it('connects to an injected server whose key sits inline', async () => {
    const { c } = await injected('inline')
    const out = await claude(c, 'mcp', 'get', 'kw-inline')
    expect(out).toContain('Status: ✔ Connected')
    expect(out).toContain('Type: http')
  }, 90_000)

  it('connects through the headers helper, reading the key from the keychain at connect time', async () => {
    const { c, key } = await injected('helper')
    const out = await claude(c, 'mcp', 'get', 'kw-helper')
    expect(out).toContain('Status: ✔ Connected')
    expect(out).not.toContain('sbx_')
    await c.ctx.services.keys.revoke(key.id)
    const after = await claude(c, 'mcp', 'get', 'kw-helper')
    expect(after).toContain('Status: ✘ Failed to connect')
  }, 90_000)
})

describe('Claude Code after a rotation', () => {
  it('connects with the new key, inline and through the helper, while the old key is rejected', async () => {
    const { c, key, secret: oldValue } = await injected('helper')
    const inline = await c.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'user',
      placement: 'inline',
      serverName: 'kw-inline'
    })
    await c.ctx.services.bindings.apply(inline.planId)
    const r = await c.ctx.services.rotation.start(key.id)
    expect(r.state).toBe('done')
    for (const name of ['kw-helper', 'kw-inline']) {
      const out = await claude(c, 'mcp', 'get', name)
      expect(out, name).toContain('Status: ✔ Connected')
    }
    const { readFile } = await import('node:fs/promises')
    const file = await readFile(join(c.ctx.home, '.claude.json'), 'utf8')
    const newValue = await c.ctx.secrets.get(`key:${r.newKeyId}`)
    expect(file).toContain(newValue!)
    expect(file).not.toContain(oldValue)
    const sandbox = c.ctx.services.adapterFor(c.ctx.services.vault.providers.list()[0]!)
    expect((await sandbox.validateKey(oldValue)).valid).toBe(false)
  }, 90_000)
})
