import { describe, expect, it } from 'vitest'
import { recognise } from '../../../src/main/keys/import'
import { checkActiveKeyLimit } from '../../../src/main/keys/key-limits'
import { scoped } from '../../support/scoped'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'

const { ctx, fake } = scoped({ timeoutMs: 500, sandbox: 'start' })
const sandboxAdapter = (c: Awaited<ReturnType<typeof ctx>>) =>
  c.services.adapterFor(c.services.vault.providers.list().find((p) => p.id === 'sandbox')!)

describe('pasting a key the service already lists as "not in this vault"', () => {
  it('gives the listed record its value instead of adding a second row, and that key can be revoked', async () => {
    const c = await ctx()
    const { value } = await sandboxAdapter(c).createKey!({ name: 'made elsewhere' })
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toMatchObject([{ name: 'made elsewhere', inVault: false }])
    const { key, warnings } = await c.api.keys.import({ value: `  ${value}\n`, name: 'pasted' })
    expect(c.services.keys.list()).toHaveLength(1)
    expect(key).toMatchObject({ name: 'made elsewhere', inVault: true, remoteId: expect.any(String) })
    expect(warnings.join(' ')).toContain('already listed this key as "made elsewhere"')
    expect(await c.secrets.get(`key:${key.id}`)).toBe(value)
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toHaveLength(1)
    expect((await c.services.keys.revoke(key.id)).status).toBe('revoked')
    expect((await sandboxAdapter(c).validateKey(value)).valid).toBe(false)
  })

  it('says a pasted key is not matched with the service yet, instead of "only in its dashboard"', async () => {
    const c = await ctx()
    const { value } = await sandboxAdapter(c).createKey!({ name: 'not listed yet' })
    const { key } = await c.api.keys.import({ value, name: 'pasted before any sync' })
    expect(key.remoteId).toBeUndefined()
    await expect(c.services.keys.revoke(key.id)).rejects.toMatchObject({
      message: '"pasted before any sync" is not matched with Local sandbox yet — sync first, then it can be revoked here.'
    })
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toHaveLength(1)
    expect((await c.services.keys.revoke(key.id)).status).toBe('revoked')
  })

  it('folds a duplicate left by an earlier version into the row that holds the value', async () => {
    const c = await ctx()
    const { value } = await sandboxAdapter(c).createKey!({ name: 'dup' })
    const { key } = await c.api.keys.import({ value, name: 'pasted' })
    // As an earlier version left it: the pasted row, plus the service's record as "not in this vault".
    const listed = (await sandboxAdapter(c).listKeys!())[0]!
    await writeVaultAsAnotherProcess(c.dataDir, (d) => {
      d.keys.push({ ...key, id: 'listed', remoteId: listed.remoteId, inVault: false, fingerprint: undefined, name: 'dup' })
    })
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toMatchObject([{ id: key.id, remoteId: listed.remoteId, inVault: true, status: 'active' }])
  })
})

describe('a pasted key revoked at the service', () => {
  it('is marked revoked at the next sync', async () => {
    const c = await ctx()
    const adapter = sandboxAdapter(c)
    const { value, record } = await adapter.createKey!({ name: 'made in the dashboard' })
    const { key } = await c.api.keys.import({ value, name: 'pasted' })
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toMatchObject([{ id: key.id, remoteId: record.remoteId, status: 'active' }])
    await adapter.revokeKey!(record.remoteId)
    await c.services.sync.sync('sandbox')
    expect(c.services.keys.list()).toMatchObject([{ id: key.id, status: 'revoked', goneFromService: true }])
  })
})

describe('near-miss keys', () => {
  it('offers a connected VibeXP for a vib_ key of an odd length, but only files it when chosen and accepted', async () => {
    const c = await ctx('off')
    const vibexp = await fake({ body: '{"prompts":[]}' })
    const p = await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    const odd = `vib_${'a1'.repeat(31)}`
    expect(recognise(odd, c.services.vault.providers.list())).toMatchObject({
      kind: 'vibexp',
      providerIds: [p.id],
      exact: false,
      message: expect.stringContaining('choose VibeXP below')
    })
    await expect(c.api.keys.import({ value: odd, name: 'x' })).rejects.toMatchObject({
      message: expect.stringContaining('length or characters are off')
    })
    expect(vibexp.requests).toEqual([])
    const { key } = await c.api.keys.import({ value: odd, providerId: p.id, providerChosen: true, name: 'x' })
    expect(key.providerId).toBe(p.id)
    expect(vibexp.requests).toHaveLength(1)
  })
})

describe('Lynxo limits and permissions', () => {
  it('warns from 45 active keys and refuses the 51st, also for a rotation that needs one more', async () => {
    const c = await ctx('off')
    const lynxo = await fake({ body: '{"jobs":[]}' })
    const p = await c.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url })
    const fill = (n: number) =>
      writeVaultAsAnotherProcess(c.dataDir, (d) => {
        for (let i = 0; i < n; i++)
          d.keys.push({
            id: `k${d.keys.length}`,
            providerId: p.id,
            name: `k${d.keys.length}`,
            prefix: 'lx',
            createdAt: new Date().toISOString(),
            status: 'active',
            inVault: false,
            addedAt: new Date().toISOString()
          })
      })
    await fill(43)
    expect(checkActiveKeyLimit(c.services.keys.list(), p)).toMatchObject({ level: 'ok', active: 43 })
    expect(checkActiveKeyLimit(c.services.keys.list(), p, 2)).toMatchObject({
      level: 'near',
      message: expect.stringContaining('this makes 45 of 50')
    })
    await fill(6)
    const { warnings } = await c.api.keys.import({
      value: 'lnx_9f8e7d6c5b4a39281706',
      providerId: p.id,
      name: 'fiftieth',
      scopes: ['full']
    })
    expect(warnings).toContain(
      'Lynxo allows at most 50 active keys per account; this makes 50 of 50. Revoke unused keys before you reach the limit.'
    )
    const before = lynxo.requests.length
    await expect(c.api.keys.import({ value: 'lnx_0000000000000000000051', providerId: p.id, name: 'one too many' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('at most 50 active keys per account, and this vault already tracks 50')
    })
    expect(lynxo.requests.length).toBe(before)
    expect(checkActiveKeyLimit(c.services.keys.list(), p, 1).level).toBe('full')
  })

  it('takes only the documented permission levels', async () => {
    const c = await ctx('off')
    const lynxo = await fake({ body: '{"jobs":[]}' })
    const p = await c.services.providers.connect({ kind: 'lynxo', baseUrl: lynxo.url })
    await expect(
      c.api.keys.import({ value: 'lnx_9f8e7d6c5b4a39281706', providerId: p.id, name: 'x', scopes: ['admin'] })
    ).rejects.toMatchObject({
      message: 'Lynxo permissions are one of: read-only, read-write, full, custom (not admin).'
    })
  })
})

describe('a key is only sent to the service it was recognised for, or the one the person picked', () => {
  it('refuses a provider filled in for an earlier value when the key now has another shape, sending nothing', async () => {
    const c = await ctx('off')
    const vibexp = await fake({ body: '{"prompts":[]}' })
    const p = await c.services.providers.connect({ kind: 'vibexp', baseUrl: vibexp.url })
    const unknown = 'zq-9f8e7d6c5b4a39281706abcdef'
    await expect(c.api.keys.import({ value: unknown, providerId: p.id, name: 'x' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('did not send it to VibeXP')
    })
    // A near-miss of VibeXP's shape is offered, never sent unless picked.
    await expect(c.api.keys.import({ value: `vib_${'a1'.repeat(31)}`, providerId: p.id, name: 'x' })).rejects.toMatchObject({
      code: 'invalid-input'
    })
    expect(vibexp.requests).toEqual([])
    // The person picks VibeXP for it: the service's check decides.
    const { key } = await c.api.keys.import({ value: unknown, providerId: p.id, providerChosen: true, name: 'x' })
    expect(key.providerId).toBe(p.id)
    expect(vibexp.requests).toHaveLength(1)
  })
})
