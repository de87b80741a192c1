import { describe, expect, it } from 'vitest'
import { mergeRemoteKeys } from '../../../src/main/keys/sync'
import type { KeyMeta } from '../../../src/shared/schemas'
import type { RemoteKeyInfo } from '../../../src/main/providers/adapter'

const at = new Date('2026-11-22T12:00:00.000Z')
const local = (over: Partial<KeyMeta>): KeyMeta => ({
  id: 'local-1',
  providerId: 'sandbox',
  remoteId: 'r1',
  name: 'Work laptop',
  prefix: 'sbx_aaaa',
  fingerprint: '0123456789abcdef',
  createdAt: '2026-10-01T00:00:00.000Z',
  status: 'active',
  inVault: true,
  addedAt: '2026-10-01T00:00:00.000Z',
  ...over
})
const remote = (over: Partial<RemoteKeyInfo>): RemoteKeyInfo => ({
  remoteId: 'r1',
  name: 'Work laptop',
  prefix: 'sbx_aaaa',
  createdAt: '2026-10-01T00:00:00.000Z',
  active: true,
  ...over
})

describe('merging a provider key list into the vault', () => {
  it('marks a key that vanished from the service as revoked, keeping its record', () => {
    const [key] = mergeRemoteKeys([local({})], 'sandbox', [], at)
    expect(key).toMatchObject({ id: 'local-1', status: 'revoked', goneFromService: true })
  })

  it('adds keys created elsewhere as not in this vault', () => {
    const merged = mergeRemoteKeys([local({})], 'sandbox', [remote({}), remote({ remoteId: 'r2', name: 'CI', prefix: 'sbx_bbbb' })], at)
    expect(merged).toHaveLength(2)
    expect(merged[1]).toMatchObject({ remoteId: 'r2', name: 'CI', inVault: false, status: 'active' })
    expect(merged[1]?.fingerprint).toBeUndefined()
  })

  it('updates status, usage and expiry from the service, and flags expired keys', () => {
    const merged = mergeRemoteKeys(
      [local({}), local({ id: 'local-2', remoteId: 'r2' })],
      'sandbox',
      [
        remote({ active: false, lastUsedAt: '2026-11-20T00:00:00.000Z', requestCount: 7 }),
        remote({ remoteId: 'r2', expiresAt: '2026-11-01T00:00:00.000Z' })
      ],
      at
    )
    expect(merged[0]).toMatchObject({ status: 'inactive', lastUsedAt: '2026-11-20T00:00:00.000Z', requestCount: 7, inVault: true })
    expect(merged[1]?.status).toBe('expired')
  })

  it("leaves other providers' keys alone", () => {
    const other = local({ id: 'other', providerId: 'lyceum', remoteId: 'x' })
    expect(mergeRemoteKeys([other], 'sandbox', [], at)).toEqual([other])
  })

  it('links a pasted key to its service record by prefix when exactly one matches', () => {
    const pasted = local({ id: 'pasted', remoteId: undefined, providerId: 'lyceum', prefix: 'lk_abcde' })
    const merged = mergeRemoteKeys([pasted], 'lyceum', [remote({ remoteId: 'L1', prefix: 'lk_abcde', name: 'CI key' })], at)
    expect(merged).toHaveLength(1)
    expect(merged[0]).toMatchObject({ id: 'pasted', remoteId: 'L1', name: 'CI key', inVault: true })
  })
})
