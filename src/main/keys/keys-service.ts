import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { CreateKeyInput, KeyMeta, Provider } from '../../shared/schemas'
import type { ProviderAdapter, RemoteKeyInfo } from '../providers/adapter'
import { ConnectionFailed } from '../providers/http'
import { cleanRemoteKey } from '../providers/remote-record'
import { fingerprint } from '../vault/fingerprint'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { ActivityRecorder } from '../activity/recorder'

/** The system clipboard (Electron's is asynchronous). */
export interface Clipboard {
  readText(): Promise<string>
  writeText(text: string): Promise<void>
  clear(): void
}

export interface KeysServiceDeps {
  vault: Vault
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  clipboard: Clipboard
  now?: () => Date
  /** Seconds after which a copied value is cleared from the clipboard, if still there (read at each copy). */
  clipboardSeconds?: number | (() => number)
  /** Asks for the account check, when the person turned it on, before a value leaves the keychain. */
  confirmPresence?: (reason: string) => Promise<void>
  setTimer?: (fn: () => void, ms: number) => unknown
  /** Told after a key is revoked: backups holding only revoked keys go. */
  onRetired?: () => Promise<void>
  /** Where each reveal and copy is recorded. */
  activity?: ActivityRecorder
}

/** Key operations behind the window and the command line. Listing never touches the keychain. */
export function createKeysService(deps: KeysServiceDeps) {
  const now = deps.now ?? (() => new Date())
  const clipboardSeconds = () => (typeof deps.clipboardSeconds === 'function' ? deps.clipboardSeconds() : (deps.clipboardSeconds ?? 30))
  const confirmPresence = deps.confirmPresence ?? (async () => {})
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref())
  const { vault } = deps
  const findKey = (keyId: string): KeyMeta => vault.keys.get(keyId)
  const providerOf = (providerId: string): Provider => vault.providers.get(providerId)

  function managingAdapter(key: KeyMeta, action: string): ProviderAdapter & Required<Pick<ProviderAdapter, 'revokeKey' | 'toggleKey'>> {
    const adapter = deps.adapterFor(providerOf(key.providerId))
    if (adapter.managesKeys && adapter.revokeKey && adapter.toggleKey && !key.remoteId) {
      throw new KeywardenError(
        'conflict',
        `"${key.name}" is not matched with ${adapter.provider.name} yet — sync first, then it can be ${action} here.`
      )
    }
    if (!adapter.managesKeys || !adapter.revokeKey || !adapter.toggleKey || !key.remoteId) {
      const where = adapter.dashboardUrl ? ` at ${adapter.dashboardUrl}` : ''
      throw new KeywardenError('unsupported', `${adapter.provider.name} keys can only be ${action} in its dashboard${where}.`)
    }
    return adapter as ProviderAdapter & Required<Pick<ProviderAdapter, 'revokeKey' | 'toggleKey'>>
  }

  /** A key Keywarden revoked (by hand or at the end of a rotation) stays listed, without its value. */
  const revokedMessage = (key: KeyMeta) =>
    `"${key.name}" (${key.prefix}…) is revoked: its service no longer accepts it, and Keywarden keeps its record but not its value.`

  async function readSecret(key: KeyMeta): Promise<string> {
    if (key.status === 'revoked' && !key.inVault) throw new KeywardenError('conflict', revokedMessage(key))
    if (!key.inVault) {
      throw new KeywardenError(
        'not-found',
        `The value of "${key.name}" is not in this vault: it was created elsewhere. Paste it to import it.`
      )
    }
    const value = await deps.secrets.get(accounts.key(key.id))
    if (value === null) {
      throw new KeywardenError(
        'not-found',
        `The keychain has no value for "${key.name}" (${key.prefix}…). It may have been removed outside Keywarden.`
      )
    }
    return value
  }

  /**
   * After a create whose answer never arrived: looks for a key of that name the service made just now
   * and revokes it, since its value can never be shown again. Says plainly what happened either way.
   */
  async function settleLostCreate(
    adapter: ProviderAdapter,
    name: string,
    startedAt: Date,
    cause: KeywardenError
  ): Promise<{ error: KeywardenError; nothingCreated?: boolean }> {
    const service = adapter.provider.name
    const known = new Set(
      vault.keys
        .ofProvider(adapter.provider.id)
        .filter((k) => k.remoteId)
        .map((k) => k.remoteId!)
    )
    // Allow for the service's clock; a same-named key from long before is someone else's.
    const since = startedAt.getTime() - 10 * 60_000
    let orphans: RemoteKeyInfo[]
    try {
      orphans = ((await adapter.listKeys?.()) ?? []).filter(
        (k) => k.name.trim() === name && !known.has(k.remoteId) && Date.parse(k.createdAt) >= since
      )
    } catch {
      return {
        error: new KeywardenError(
          cause.code,
          `${cause.message} If ${service} created "${name}" anyway, sync when it answers again and revoke any "${name}" listed as not in this vault.`
        )
      }
    }
    if (orphans.length === 0) return { error: new KeywardenError(cause.code, `${cause.message} No key was created.`), nothingCreated: true }
    const failed: string[] = []
    for (const orphan of orphans) await adapter.revokeKey?.(orphan.remoteId).catch(() => failed.push(orphan.prefix))
    if (failed.length) {
      return {
        error: new KeywardenError(
          cause.code,
          `${service} created "${name}" but its value never reached Keywarden (${cause.message}) and revoking it failed. Sync, then revoke "${name}" (${failed[0]}…), which is listed as not in this vault.`
        )
      }
    }
    return {
      error: new KeywardenError(
        cause.code,
        `${service} created "${name}" but its value never reached Keywarden (${cause.message}). A key's value is shown only once, so Keywarden revoked that key at once. Create the key again.`
      )
    }
  }

  return {
    list: (): KeyMeta[] => vault.keys.list(),

    async create(input: CreateKeyInput): Promise<{ key: KeyMeta; secret: string }> {
      const provider = providerOf(input.providerId)
      const adapter = deps.adapterFor(provider)
      if (!adapter.managesKeys || !adapter.createKey) {
        throw new KeywardenError(
          'unsupported',
          `${provider.name} keys are created in its dashboard. Create one there and paste it here to import it.`
        )
      }
      // The service shows a new value only once: make sure it has somewhere to go before asking.
      const keychain = await deps.secrets.probe()
      if (!keychain.available) throw new KeywardenError('keychain-unavailable', keychain.message ?? 'No keychain is available.')
      const startedAt = now()
      let created: Awaited<ReturnType<NonNullable<ProviderAdapter['createKey']>>> | undefined
      for (let attempt = 1; !created; attempt++) {
        try {
          created = await adapter.createKey({ name: input.name, expiresAt: input.expiresAt })
        } catch (error) {
          // A timeout, a 5xx or a garbled answer: the key may exist at the service with a value nobody has.
          if (!(error instanceof KeywardenError && (error.code === 'provider-unreachable' || error.code === 'provider-bad-response')))
            throw error
          const settled = await settleLostCreate(adapter, input.name, startedAt, error)
          // A dropped connection (a stale keep-alive socket, say) with no such key at the service: one
          // more try is safe, since the list shows nothing was created.
          if (!(error instanceof ConnectionFailed && settled.nothingCreated && attempt === 1)) throw settled.error
        }
      }
      const { record, value } = created
      const id = randomUUID()
      try {
        await deps.secrets.set(accounts.key(id), value)
      } catch (error) {
        // The service will never show this value again and it is nowhere else: a live key that
        // nobody holds is only a risk, so take it back before saying what happened.
        const revoked = await adapter.revokeKey?.(record.remoteId).then(
          () => true,
          () => false
        )
        const detail = error instanceof Error ? error.message : String(error)
        throw new KeywardenError(
          'keychain-unavailable',
          revoked
            ? `The keychain did not store the new key, so Keywarden revoked it at ${provider.name} rather than leave a key nobody holds. ${detail}`
            : `The keychain did not store the new key "${record.name}" (${record.prefix}…), and revoking it at ${provider.name} failed too: revoke it there. ${detail}`,
          { cause: error }
        )
      }
      const key = metaFromRemote(record, {
        id,
        providerId: provider.id,
        fingerprint: fingerprint(value),
        inVault: true,
        addedAt: now().toISOString()
      })
      await vault.keys.add(key)
      return { key, secret: value }
    },

    async revoke(keyId: string): Promise<KeyMeta> {
      const key = findKey(keyId)
      if (key.status === 'revoked') return key
      const adapter = managingAdapter(key, 'revoked')
      // The person asked for it, having been told which clients still use the key.
      const updated = await vault.keys.revoke(keyId, {
        evenIfUsed: true,
        atService: async () => {
          try {
            await adapter.revokeKey(key.remoteId!)
          } catch (error) {
            // Already gone at the service (revoked elsewhere): record it as revoked here too.
            if (!(error instanceof KeywardenError && error.code === 'not-found')) throw error
          }
        }
      })
      // A revoked value opens nothing; keeping it would only be one more copy to leak.
      await deps.secrets.delete(accounts.key(keyId)).catch(() => false)
      await deps.onRetired?.()
      return updated
    },

    async setActive(keyId: string, active: boolean): Promise<KeyMeta> {
      const key = findKey(keyId)
      if (key.status === 'revoked') throw new KeywardenError('conflict', `"${key.name}" is revoked and cannot be turned back on.`)
      if ((key.status === 'active') === active) return key
      const adapter = managingAdapter(key, active ? 'activated' : 'deactivated')
      let record: RemoteKeyInfo
      try {
        record = await adapter.toggleKey(key.remoteId!)
      } catch (error) {
        // A toggle is never repeated blindly (a second one flips the key back): after a dropped
        // connection, the service's list says whether the first one took effect.
        if (!(error instanceof ConnectionFailed)) throw error
        const listed = (await adapter.listKeys?.().catch(() => undefined))?.find((r) => r.remoteId === key.remoteId)
        if (!listed) throw error
        record = listed.active === active ? listed : await adapter.toggleKey(key.remoteId!)
      }
      if (record.active !== active) {
        throw new KeywardenError(
          'conflict',
          `${adapter.provider.name} reports "${key.name}" as ${record.active ? 'active' : 'inactive'}; refresh and try again.`
        )
      }
      return vault.keys.setStatus(keyId, statusOf(record, now()))
    },

    /** Checks the key with its service; a dashboard-managed key the service calls invalid is marked revoked. */
    async validate(keyId: string): Promise<{ valid: boolean; message: string }> {
      const key = findKey(keyId)
      // The vault keeps what it retired: there is nothing to send, and the answer is known.
      if (key.status === 'revoked' && !key.inVault) return { valid: false, message: revokedMessage(key) }
      const adapter = deps.adapterFor(providerOf(key.providerId))
      const result = await adapter.validateKey(await readSecret(key))
      const message = result.warning ? `${result.message} ${result.warning}` : result.message
      // API-managed keys get their status from the service's list (an inactive key fails a check too,
      // and is said to be off rather than left at the service's "invalid").
      if (adapter.managesKeys)
        return {
          valid: result.valid,
          message:
            !result.valid && key.status === 'inactive'
              ? `${message} "${key.name}" is deactivated: activate it (keywarden keys activate, or Activate in the app) to use it again.`
              : message
        }
      const dead = !result.valid && result.revoked === true
      const { kept } = await vault.keys.recordCheck(keyId, { at: now(), dead })
      if (kept)
        return {
          valid: false,
          message: `${message} "${key.name}" is being rotated, so Keywarden left it as it is: finish or roll back its rotation (Rotations page).`
        }
      return { valid: result.valid, message: dead ? `${message} Keywarden marked it as revoked.` : message }
    },

    async copy(keyId: string): Promise<{ clearAfterSeconds: number }> {
      const key = findKey(keyId)
      await confirmPresence(`copy the key "${key.name}"`)
      const value = await readSecret(key)
      const seconds = clipboardSeconds()
      await deps.clipboard.writeText(value)
      setTimer(() => {
        // Only clear what Keywarden put there: the person may have copied something else since.
        void deps.clipboard.readText().then((current) => {
          if (current === value) deps.clipboard.clear()
        })
      }, seconds * 1000)
      await deps.activity?.copy(key)
      return { clearAfterSeconds: seconds }
    },

    async reveal(keyId: string): Promise<{ secret: string }> {
      const key = findKey(keyId)
      await confirmPresence(`reveal the key "${key.name}"`)
      const secret = await readSecret(key)
      await deps.activity?.reveal(key)
      return { secret }
    },

    /** Renames a key or changes its notes and tags in this vault; a name given here survives syncs. */
    update: (keyId: string, change: { name?: string; notes?: string; tags?: string[] }): Promise<KeyMeta> =>
      vault.keys.describe(keyId, change),

    readSecret: (keyId: string) => readSecret(findKey(keyId))
  }
}

export type KeysService = ReturnType<typeof createKeysService>

export function statusOf(record: Pick<RemoteKeyInfo, 'active' | 'expiresAt'>, at: Date): KeyMeta['status'] {
  if (record.expiresAt && Date.parse(record.expiresAt) <= at.getTime()) return 'expired'
  return record.active ? 'active' : 'inactive'
}

export function metaFromRemote(
  remote: RemoteKeyInfo,
  local: { id: string; providerId: string; fingerprint?: string; inVault: boolean; addedAt: string },
  at: Date = new Date(local.addedAt)
): KeyMeta {
  const record = cleanRemoteKey(remote, at)
  return {
    id: local.id,
    providerId: local.providerId,
    remoteId: record.remoteId,
    name: record.name,
    prefix: record.prefix,
    fingerprint: local.fingerprint,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastUsedAt: record.lastUsedAt,
    requestCount: record.requestCount,
    scopes: record.scopes,
    status: statusOf(record, at),
    inVault: local.inVault,
    addedAt: local.addedAt
  }
}
