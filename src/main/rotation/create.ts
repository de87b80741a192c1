import { randomBytes } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import type { ProviderAdapter, RemoteKeyInfo } from '../providers/adapter'
import { metaFromRemote } from '../keys/keys-service'
import { maskSecret } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import { revokeIdempotent, type RotationCore, type RotationDeps } from './core'

/**
 * Creating the new key at the service without ever minting a second one: the token is journaled
 * before each request, and after any doubt (an error, a resume, a retried request) the service's
 * list is read by the rotation's name. A record whose value the keychain holds is adopted; any
 * other record of that name is a key nobody can ever use, and is revoked.
 */
export function createKeyCreation(deps: RotationDeps, core: RotationCore) {
  const { advance, patch, storeNewKey, stamp } = core

  /** Revokes every record of this rotation's name except `keep`; returns the one kept, if any. */
  async function settle(r: Rotation, adapter: ProviderAdapter, keep?: (k: RemoteKeyInfo) => boolean): Promise<RemoteKeyInfo | undefined> {
    const named = (await adapter.listKeys!()).filter((k) => k.name === r.newName && k.active !== false)
    const kept = keep ? named.filter(keep) : []
    if (kept.length > 1) {
      throw new KeywardenError(
        'conflict',
        `${adapter.provider.name} lists ${kept.length} keys named "${r.newName}" with the same prefix; revoke the extra ones in its dashboard, then resume.`
      )
    }
    for (const k of named) if (k !== kept[0] && adapter.revokeKey) await revokeIdempotent(adapter, k.remoteId)
    return kept[0]
  }

  const prefixOf = (value: string) => (k: RemoteKeyInfo) => Boolean(k.prefix) && value.startsWith(k.prefix.replace(/[.…]+$/, ''))

  async function adopt(r: Rotation, record: RemoteKeyInfo, value: string, note: string): Promise<Rotation> {
    await storeNewKey(r, value, metaFromRemote(record, { id: r.newKeyId, providerId: r.providerId, inVault: true, addedAt: stamp() }))
    return advance(r, 'created', { newRemoteId: record.remoteId }, note)
  }

  return async function create(r: Rotation, adapter: ProviderAdapter): Promise<Rotation> {
    if (!adapter.createKey || !adapter.listKeys)
      throw new KeywardenError('unsupported', `${adapter.provider.name} cannot create keys by API.`)
    if (r.state === 'creating') {
      // Resumed: the service may already hold the key this rotation asked for.
      const saved = await deps.secrets.get(accounts.key(r.newKeyId))
      const found = await settle(r, adapter, saved ? prefixOf(saved) : undefined)
      if (found && saved) return adopt(r, found, saved, 'found the key created before the interruption')
      // Whatever the earlier token created was revoked above; ask again under a fresh token so the
      // service does not hand back the same dead record.
      r = await advance(r, 'creating', { idempotencyToken: randomBytes(6).toString('hex') }, 'asking again under a fresh token')
    } else {
      r = await advance(r, 'creating')
    }
    let created: Awaited<ReturnType<NonNullable<ProviderAdapter['createKey']>>>
    try {
      created = await adapter.createKey({ name: r.newName, idempotencyKey: r.idempotencyToken })
    } catch (error) {
      // The request may have been committed even though the answer was an error or never came.
      // Nobody holds that key's value: revoke it now, so no stray key is left at the service.
      await settle(r, adapter).catch(() => undefined)
      await patch(deps.journal.get(r.id), { idempotencyToken: randomBytes(6).toString('hex') })
      throw error
    }
    await storeNewKey(
      r,
      created.value,
      metaFromRemote(created.record, { id: r.newKeyId, providerId: r.providerId, inVault: true, addedAt: stamp() })
    )
    // A retried request may have minted a second record before this one answered.
    await settle(r, adapter, (k) => k.remoteId === created.record.remoteId)
    return advance(r, 'created', { newRemoteId: created.record.remoteId }, `new key ${maskSecret(created.value)}`)
  }
}
