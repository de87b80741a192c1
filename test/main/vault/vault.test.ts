import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mergeRemoteKeys } from '../../../src/main/keys/sync'
import { openVault, NOT_FOUND } from '../../../src/main/vault/vault'
import type { AppEvent } from '../../../src/shared/contract'
import type { Binding, KeyMeta } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

const at = '2026-11-01T10:00:00.000Z'
const provider = { id: 'sandbox', kind: 'sandbox', name: 'Local sandbox', createdAt: at, sync: {} } as const
const key = (id: string, over: Partial<KeyMeta> = {}): KeyMeta => ({
  id,
  providerId: 'sandbox',
  remoteId: `r-${id}`,
  name: `key ${id}`,
  prefix: 'sbx_aaaa',
  createdAt: at,
  status: 'active',
  inVault: true,
  addedAt: at,
  ...over
})
const binding = (id: string, keyId: string): Binding => ({
  id,
  keyId,
  client: 'cursor',
  scope: 'global',
  file: '/home/me/.cursor/mcp.json',
  serverName: `server-${id}`,
  url: 'https://mcp.example/mcp',
  placement: 'inline',
  createdAt: at
})

async function vaultWith(options: { held?: string[] } = {}) {
  const dir = await tempFolder('kw-vault-')
  const events: AppEvent['type'][] = []
  const vault = await openVault(dir, {
    heldByRotation: (id) => options.held?.includes(id) ?? false,
    describeBinding: (b) => `Cursor (global): ${b.serverName}`
  })
  vault.onChange((e) => events.push(e.type))
  await vault.providers.add(provider)
  await vault.keys.add(key('a'))
  await vault.keys.add(key('b'))
  events.splice(0)
  return { vault, events, dir }
}

describe('the vault and its rules', () => {
  it('says "no longer in the vault" the same way for every missing record', async () => {
    const { vault } = await vaultWith()
    expect(() => vault.keys.get('gone')).toThrow(NOT_FOUND.key)
    expect(() => vault.providers.get('gone')).toThrow(NOT_FOUND.provider)
    expect(() => vault.bindings.get('gone')).toThrow(NOT_FOUND.binding)
    await expect(vault.keys.setStatus('gone', 'inactive')).rejects.toMatchObject({ code: 'not-found', message: NOT_FOUND.key })
  })

  it('announces each change once it is written, and nothing when nothing changed', async () => {
    const { vault, events, dir } = await vaultWith()
    await vault.bindings.add(binding('x', 'a'))
    expect(events).toEqual(['bindings.changed'])
    expect(JSON.parse(await readFile(join(dir, 'vault.json'), 'utf8')).bindings).toHaveLength(1)
    events.splice(0)
    await vault.bindings.forget(['not-there'])
    await vault.bindings.reassign('a', ['x'])
    expect(events).toEqual([])
    await vault.keys.setStatus('b', 'inactive')
    expect(events).toEqual(['keys.changed'])
  })

  it('does not revoke a key that a client uses unless the person asked, and then only after the rule let the request go', async () => {
    const { vault } = await vaultWith()
    await vault.bindings.add(binding('x', 'a'))
    let sent = false
    await expect(vault.keys.revoke('a', { atService: async () => void (sent = true), hint: 'Move it first.' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Not revoking "key a": Cursor (global): server-x would still use it. Move it first.'
    })
    expect(sent).toBe(false)
    expect(vault.keys.get('a').status).toBe('active')
    const revoked = await vault.keys.revoke('a', { evenIfUsed: true, atService: async () => void (sent = true) })
    expect(sent).toBe(true)
    expect(revoked).toMatchObject({ status: 'revoked', inVault: false })
  })

  it('never removes a key, or a provider, whose keys a client uses', async () => {
    const { vault } = await vaultWith()
    await vault.bindings.add(binding('x', 'a'))
    await expect(vault.keys.remove('a')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('still used by') })
    await expect(vault.providers.remove('sandbox')).rejects.toMatchObject({ code: 'conflict' })
    expect(vault.keys.list().map((k) => k.id)).toEqual(['a', 'b'])
    await vault.keys.remove('b')
    expect(vault.keys.list().map((k) => k.id)).toEqual(['a'])
  })

  it('moves bindings only through reassign, and never onto a revoked or missing key', async () => {
    const { vault } = await vaultWith()
    await vault.bindings.add(binding('x', 'a'))
    await vault.bindings.reassign('b', ['x'])
    expect(vault.bindings.get('x').keyId).toBe('b')
    await vault.keys.setStatus('a', 'revoked')
    await expect(vault.bindings.reassign('a', ['x'])).rejects.toMatchObject({ code: 'conflict' })
    await expect(vault.bindings.reassign('gone', ['x'])).rejects.toMatchObject({ code: 'not-found' })
    expect(vault.bindings.get('x').keyId).toBe('b')
  })

  it('gives a key a rotation holds no new binding, and a sync leaves it as it was', async () => {
    const { vault, events } = await vaultWith({ held: ['a'] })
    await expect(vault.bindings.add(binding('x', 'a'))).rejects.toMatchObject({ message: expect.stringContaining('is being rotated') })
    // The service no longer lists either key: b is marked revoked, a (held) is not touched.
    const result = await vault.keys.applyListing('sandbox', (keys) => mergeRemoteKeys(keys, 'sandbox', [], new Date()), new Date())
    expect(result.changed).toBe(true)
    expect(vault.keys.get('a')).toEqual(key('a'))
    expect(vault.keys.get('b')).toMatchObject({ status: 'revoked', goneFromService: true })
    expect(events).toContain('keys.changed')
  })

  it('refuses a second row for a value already in the vault', async () => {
    const { vault } = await vaultWith()
    await vault.keys.add(key('c', { fingerprint: '0123456789abcdef' }))
    await expect(vault.keys.add(key('d', { fingerprint: '0123456789abcdef' }))).rejects.toMatchObject({
      code: 'conflict',
      message: 'This key is already in the vault as "key c".'
    })
  })

  it('never writes a key value a service echoed into a sync error', async () => {
    const { vault, dir } = await vaultWith()
    const { fingerprint } = await import('../../../src/main/vault/fingerprint')
    const management = 'plainmanagementkeywithoutanyshape'
    await vault.keys.add(key('m', { fingerprint: fingerprint(management) }))
    await vault.providers.recordSyncFailure('sandbox', {
      message: `Lyceum rejected the request: bad key ${management}.`,
      code: 'unauthorized'
    })
    const text = await readFile(join(dir, 'vault.json'), 'utf8')
    expect(text).not.toContain(management)
    expect(vault.providers.get('sandbox').sync.error).toContain('bad key plainman…')
  })
})
