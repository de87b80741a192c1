import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { KeyMeta, Provider, ProviderSyncResult } from '../../shared/schemas'
import type { ProviderAdapter, RemoteKeyInfo } from '../providers/adapter'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import { metaFromRemote, statusOf } from './keys-service'

const CHECK_EVERY_MS = 24 * 60 * 60 * 1000

export type { ProviderSyncResult } from '../../shared/keys'

/**
 * Brings the vault's metadata in line with what each service lists. Keys that vanished from the
 * service are marked revoked (someone revoked them elsewhere); keys the service lists that the
 * vault never saw are added as "not in this vault". Nothing here reads the keychain.
 */
export function createSyncService(deps: {
  vault: Vault
  adapterFor: (provider: Provider) => ProviderAdapter
  /** Read only to check dashboard-managed keys with their service, at most once a day each. */
  secrets?: SecretStore
  now?: () => Date
}) {
  const now = deps.now ?? (() => new Date())
  const { vault } = deps

  async function recordFailure(provider: Provider, error: unknown): Promise<ProviderSyncResult> {
    const message =
      error instanceof KeywardenError
        ? error.message
        : `Sync with ${provider.name} failed unexpectedly; the saved list is unchanged. Try again later.`
    const errorCode = error instanceof KeywardenError ? error.code : 'internal'
    await vault.providers.recordSyncFailure(provider.id, { message, code: errorCode })
    return { providerId: provider.id, ok: false, error: message, keyCount: 0 }
  }

  /**
   * A dashboard-managed service has no key list: each active key in the vault is checked with the
   * service's harmless request instead, at most once a day, and a key the service answers with 401
   * is marked revoked. Values are read from the keychain for this and nothing else.
   */
  async function checkDashboardKeys(provider: Provider, adapter: ProviderAdapter): Promise<ProviderSyncResult> {
    const at = now()
    const mine = vault.keys.ofProvider(provider.id)
    const due = deps.secrets
      ? mine.filter((k) => k.inVault && k.status === 'active' && (!k.checkedAt || at.getTime() - Date.parse(k.checkedAt) >= CHECK_EVERY_MS))
      : []
    const revoked = new Set<string>()
    const checked = new Set<string>()
    let failure: unknown
    for (const key of due) {
      const value = await deps.secrets!.get(accounts.key(key.id))
      if (value === null) continue
      try {
        const result = await adapter.validateKey(value)
        checked.add(key.id)
        if (!result.valid && result.revoked) revoked.add(key.id)
      } catch (error) {
        // Unreachable, rate limited: keep what was learnt, say so on the provider, try again next time.
        failure = error
        break
      }
    }
    let kept: KeyMeta[] = []
    if (checked.size) {
      kept = await vault.keys.recordChecks(provider.id, { checked: [...checked], dead: [...revoked], at, synced: !failure })
    } else if (!failure) {
      vault.providers.markSynced(provider.id, at)
    }
    if (failure) return recordFailure(provider, failure)
    const notes = kept.map((k) => heldNote(k, `${provider.name} rejects it`))
    return { providerId: provider.id, ok: true, keyCount: mine.length, ...(notes.length ? { notes } : {}) }
  }

  async function syncProvider(provider: Provider): Promise<ProviderSyncResult> {
    const adapter = deps.adapterFor(provider)
    if (!adapter.managesKeys || !adapter.listKeys) return checkDashboardKeys(provider, adapter)
    // Adapters hand records over cleaned (providers/remote-record.ts), in the same pass as parsing.
    const remote = await adapter.listKeys()
    const at = now()
    const { held } = await vault.keys.applyListing(provider.id, (keys) => mergeRemoteKeys(keys, provider.id, remote, at), at)
    const notes = held.flatMap(({ key, seen }) => {
      if (!seen || seen.goneFromService) return [heldNote(key, `${provider.name} no longer lists it`)]
      return seen.status !== key.status ? [heldNote(key, `${provider.name} reports it as ${seen.status}`)] : []
    })
    return { providerId: provider.id, ok: true, keyCount: remote.length, ...(notes.length ? { notes } : {}) }
  }

  return {
    async sync(providerId?: string): Promise<{ providers: ProviderSyncResult[] }> {
      const providers = vault.providers.list().filter((p) => !providerId || p.id === providerId)
      if (providerId && providers.length === 0) throw new KeywardenError('not-found', 'That provider is no longer connected.')
      // One provider at a time keeps metadata writes ordered; each is a single request anyway.
      const results: ProviderSyncResult[] = []
      // Whatever one service sends, it cannot stop the others from syncing: its error stays on it.
      for (const provider of providers) results.push(await syncProvider(provider).catch((error: unknown) => recordFailure(provider, error)))
      return { providers: results }
    }
  }
}

export type SyncService = ReturnType<typeof createSyncService>

/** What a sync saw of a key a rotation holds, and left alone: the rotation settles it. */
function heldNote(key: KeyMeta, seen: string): string {
  return `"${key.name}" (${key.prefix}…) is being rotated and ${seen}. Keywarden left it as it is: resume or roll back its rotation (Rotations page) to settle it.`.slice(
    0,
    500
  )
}

/** Merges one provider's remote list into the vault's keys, in one pass over each list. */
export function mergeRemoteKeys(keys: KeyMeta[], providerId: string, remote: RemoteKeyInfo[], at: Date): KeyMeta[] {
  const byRemoteId = new Map<string, RemoteKeyInfo>()
  for (const r of remote) byRemoteId.set(r.remoteId, r)
  // A pasted key has no service id yet: link it when exactly one record shares its prefix that no
  // key with a value holds. A "not in this vault" row for that record is the same key: it goes.
  const links = new Map<string, string>()
  const claimed = new Set<string>()
  if (keys.some((k) => k.providerId === providerId && !k.remoteId)) {
    const held = new Set(keys.filter((k) => k.providerId === providerId && k.remoteId && k.inVault).map((k) => k.remoteId!))
    const byPrefix = new Map<string, RemoteKeyInfo[]>()
    for (const r of remote) {
      if (held.has(r.remoteId)) continue
      const list = byPrefix.get(r.prefix) ?? []
      list.push(r)
      byPrefix.set(r.prefix, list)
    }
    for (const k of keys) {
      if (k.providerId !== providerId || k.remoteId) continue
      const candidates = byPrefix.get(k.prefix)
      if (candidates?.length !== 1 || claimed.has(candidates[0]!.remoteId)) continue
      links.set(k.id, candidates[0]!.remoteId)
      claimed.add(candidates[0]!.remoteId)
    }
  }
  // Usually every record matches a vault key: counting them saves remembering which.
  let matched = 0
  const merged: KeyMeta[] = []
  for (const original of keys) {
    let key = original
    if (key.providerId === providerId) {
      const link = links.get(key.id)
      if (link) key = { ...key, remoteId: link }
      else if (!key.inVault && key.remoteId && claimed.has(key.remoteId)) continue
    }
    if (key.providerId !== providerId || !key.remoteId) {
      merged.push(key)
      continue
    }
    const r = byRemoteId.get(key.remoteId)
    if (!r) {
      merged.push(key.status === 'revoked' ? key : { ...key, status: 'revoked', goneFromService: true })
      continue
    }
    matched++
    const status = statusOf(r, at)
    // Most syncs change nothing: keep the same object then, so nothing needs writing.
    if (
      key === original &&
      key.goneFromService === undefined &&
      (key.namedHere || key.name === r.name) &&
      key.prefix === r.prefix &&
      key.createdAt === r.createdAt &&
      key.expiresAt === r.expiresAt &&
      key.lastUsedAt === r.lastUsedAt &&
      key.requestCount === r.requestCount &&
      key.status === status &&
      r.scopes === undefined
    ) {
      merged.push(key)
      continue
    }
    merged.push({
      ...key,
      // A name given in Keywarden (a rename, a rotated key keeping its predecessor's name) stays.
      name: key.namedHere ? key.name : r.name,
      prefix: r.prefix,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      lastUsedAt: r.lastUsedAt,
      requestCount: r.requestCount,
      scopes: r.scopes ?? key.scopes,
      status,
      goneFromService: undefined
    })
  }
  if (matched < byRemoteId.size) {
    const known = new Set<string>()
    for (const k of merged) if (k.providerId === providerId && k.remoteId) known.add(k.remoteId)
    const addedAt = at.toISOString()
    for (const r of byRemoteId.values()) {
      if (!known.has(r.remoteId)) merged.push(metaFromRemote(r, { id: randomUUID(), providerId, inVault: false, addedAt }, at))
    }
  }
  return merged
}
