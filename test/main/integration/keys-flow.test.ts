import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createKeysService } from '../../../src/main/keys/keys-service'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})
const start = async () => {
  const c = await testContext()
  open.push(c)
  return { ...c, dispatch: c.ctx.dispatch }
}

describe('keys in the Local sandbox, end to end through the IPC handlers', () => {
  it('creates a key whose value is in the keychain, listed without reading the keychain', async () => {
    const { ctx, dispatch, secrets } = await start()
    const created = await dispatch('keys.create', { providerId: 'sandbox', name: 'Work laptop – Claude Code' })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    // The answer carries no value: it reaches a window only through reveal or copy.
    expect(Object.keys(created.data as object)).toEqual(['key'])
    const { key } = created.data as { key: { id: string; prefix: string; fingerprint: string } }
    const secret = (await ctx.secrets.get(`key:${key.id}`))!
    expect(secret).toMatch(/^sbx_[A-Za-z0-9]{48}$/)
    expect(key.prefix).toBe(secret.slice(0, 8))
    expect(await ctx.secrets.get(`key:${key.id}`)).toBe(secret)

    secrets.reads = 0
    const list = await dispatch('keys.list', {})
    expect(secrets.reads).toBe(0)
    expect(JSON.stringify(list)).not.toContain(secret)
    expect(list.ok && (list.data as Array<{ name: string }>).map((k) => k.name)).toEqual(['Work laptop – Claude Code'])

    // No file Keywarden or its sandbox writes holds the value.
    for (const file of await readdir(ctx.dataDir)) {
      const text = await readFile(join(ctx.dataDir, file), 'utf8').catch(() => '')
      expect(text.includes(secret), `${file} must not contain the key`).toBe(false)
    }
  })

  it('deactivates, reactivates and revokes, and the service agrees each time', async () => {
    const { dispatch } = await start()
    const created = await dispatch('keys.create', { providerId: 'sandbox', name: 'CI' })
    if (!created.ok) throw new Error(created.error.message)
    const keyId = (created.data as { key: { id: string } }).key.id

    const off = await dispatch('keys.setActive', { keyId, active: false })
    expect(off.ok && (off.data as { status: string }).status).toBe('inactive')
    const check = await dispatch('keys.validate', { keyId })
    expect(check.ok && check.data).toMatchObject({ valid: false })

    const on = await dispatch('keys.setActive', { keyId, active: true })
    expect(on.ok && (on.data as { status: string }).status).toBe('active')
    expect((await dispatch('keys.validate', { keyId })).ok).toBe(true)

    const revoked = await dispatch('keys.revoke', { keyId })
    expect(revoked.ok && (revoked.data as { status: string }).status).toBe('revoked')
    const copy = await dispatch('keys.copy', { keyId })
    expect(copy.ok).toBe(false)
  })

  it('revokes a new key at the service when the keychain refuses to keep it, so no key is left that nobody holds', async () => {
    const c = await start()
    const refusing = { ...c.ctx.secrets, set: async () => Promise.reject(new Error('The keychain is locked.')) }
    const keys = createKeysService({
      vault: c.ctx.services.vault,
      secrets: refusing,
      adapterFor: c.ctx.services.adapterFor,
      clipboard: c.clipboard
    })
    await expect(keys.create({ providerId: 'sandbox', name: 'unkept' })).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: expect.stringContaining('Keywarden revoked it at Local sandbox rather than leave a key nobody holds')
    })
    const atService = await c.ctx.services.adapterFor(c.ctx.services.vault.providers.list().find((p) => p.id === 'sandbox')!).listKeys!()
    expect(atService.filter((k) => k.name === 'unkept')).toEqual([])
    expect(c.ctx.services.keys.list()).toEqual([])
  })

  it('copies through main and clears the clipboard only if it still holds the value', async () => {
    const timers: Array<() => void> = []
    const c = await testContext()
    open.push(c)
    const { createKeysService } = await import('../../../src/main/keys/keys-service')
    const keys = createKeysService({
      vault: c.ctx.services.vault,
      secrets: c.ctx.secrets,
      adapterFor: c.ctx.services.adapterFor,
      clipboard: c.clipboard,
      setTimer: (fn) => timers.push(fn)
    })
    const { key, secret } = await keys.create({ providerId: 'sandbox', name: 'copy me' })
    expect(await keys.copy(key.id)).toEqual({ clearAfterSeconds: 30 })
    expect(c.clipboard.peek()).toBe(secret)
    timers.shift()!()
    await new Promise((r) => setTimeout(r, 10))
    expect(c.clipboard.peek()).toBe('')

    await keys.copy(key.id)
    await c.clipboard.writeText('something the person copied later')
    timers.shift()!()
    await new Promise((r) => setTimeout(r, 10))
    expect(c.clipboard.peek()).toBe('something the person copied later')
  })

  it('marks a key revoked elsewhere at the next sync, and lists keys made elsewhere as not in this vault', async () => {
    const { ctx, dispatch } = await start()
    const a = await ctx.services.keys.create({ providerId: 'sandbox', name: 'will vanish' })
    // Another client of the same account creates and revokes keys directly at the service.
    const adapter = ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!)
    await adapter.revokeKey!(a.key.remoteId!)
    await adapter.createKey!({ name: 'made on another laptop' })
    const result = await dispatch('keys.sync', {})
    expect(result.ok && result.data).toMatchObject({ providers: [{ providerId: 'sandbox', ok: true, keyCount: 1 }] })
    const keys = ctx.services.keys.list()
    expect(keys.find((k) => k.id === a.key.id)).toMatchObject({ status: 'revoked', goneFromService: true })
    expect(keys.find((k) => k.name === 'made on another laptop')).toMatchObject({ inVault: false, status: 'active' })
  })

  it('reports the sandbox being down as a clear, typed error and records it on the provider', async () => {
    const { ctx, dispatch } = await start()
    await ctx.services.sandbox!.close()
    const created = await dispatch('keys.create', { providerId: 'sandbox', name: 'offline' })
    expect(created).toMatchObject({ ok: false, error: { code: 'provider-unreachable' } })
    if (!created.ok) expect(created.error.message).toMatch(/Could not reach Local sandbox at http:\/\/127\.0\.0\.1:\d+/)
    const synced = await dispatch('keys.sync', {})
    expect(synced.ok && synced.data).toMatchObject({ providers: [{ ok: false }] })
    expect(ctx.services.vault.providers.list()[0]?.sync.error).toMatch(/Could not reach/)
  })
})
