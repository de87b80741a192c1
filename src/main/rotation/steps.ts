import { KeywardenError } from '../../shared/errors'
import type { Binding, KeyMeta, Provider, Rotation, RotationState } from '../../shared/schemas'
import type { ProviderAdapter, ValidationResult } from '../providers/adapter'
import { headerValue } from '../providers/catalog'
import { metaFromRemote } from '../keys/keys-service'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { Journal } from './journal'

/** Rewrites the config entry behind a binding; helper placements need no file change at all. */
export interface BindingWriter {
  update(binding: Binding, newValue: string): Promise<{ changeId?: string; needsPerson?: boolean }>
  /** Puts the old key back into the entry (whatever the entry holds now: this must be idempotent). */
  restore(binding: Binding, oldValue: string): Promise<void>
}

export interface RotationDeps {
  store: MetadataStore
  secrets: SecretStore
  journal: Journal
  adapterFor: (provider: Provider) => ProviderAdapter
  writer: BindingWriter
  probe: (options: { url: string; header: { name: string; value: string }; serviceName: string }) => Promise<ValidationResult>
  now?: () => Date
  emit?: (event: { type: 'rotations.changed' } | { type: 'keys.changed' } | { type: 'bindings.changed' }) => void
}


/** Revoking twice is fine: a key the service no longer knows is as revoked as it gets. */
export async function revokeIdempotent(adapter: ProviderAdapter, remoteId: string): Promise<void> {
  try {
    await adapter.revokeKey!(remoteId)
  } catch (error) {
    if (!(error instanceof KeywardenError && error.code === 'not-found')) throw error
  }
}


/**
 * The steps of a rotation, each one journaled: creating the new key (keychain first), moving
 * bindings to it, verifying it, putting bindings back, and retiring the old key.
 */
export function createRotationSteps(deps: RotationDeps) {
  const now = deps.now ?? (() => new Date())
  const stamp = () => now().toISOString()

  const keyById = (id: string): KeyMeta => {
    const k = deps.store.read().keys.find((x) => x.id === id)
    if (!k) throw new KeywardenError('not-found', 'The key being rotated is no longer in the vault.')
    return k
  }
  const providerOf = (key: KeyMeta): Provider => {
    const p = deps.store.read().providers.find((x) => x.id === key.providerId)
    if (!p) throw new KeywardenError('not-found', "The key's provider is no longer connected.")
    return p
  }
  const bindingsOf = (keyId: string) => deps.store.read().bindings.filter((b) => b.keyId === keyId)

  async function advance(r: Rotation, state: RotationState, patch: Partial<Rotation> = {}, note?: string): Promise<Rotation> {
    const next: Rotation = { ...r, ...patch, state, error: undefined, updatedAt: stamp(), history: [...r.history, { state, at: stamp(), note }].slice(-100) }
    const saved = await deps.journal.save(next)
    deps.emit?.({ type: 'rotations.changed' })
    return saved
  }

  async function fail(r: Rotation, error: unknown): Promise<Rotation> {
    const message = error instanceof KeywardenError ? error.message : `Unexpected failure: ${(error as Error).message}`
    const saved = await deps.journal.save({ ...deps.journal.get(r.id), error: message, updatedAt: stamp() })
    deps.emit?.({ type: 'rotations.changed' })
    return saved
  }

  async function newValue(r: Rotation): Promise<string> {
    const value = await deps.secrets.get(accounts.key(r.newKeyId))
    if (!value) throw new KeywardenError('not-found', 'The new key is missing from the keychain; roll this rotation back.')
    return value
  }

  async function storeNewKey(r: Rotation, value: string, meta: Omit<KeyMeta, 'id' | 'fingerprint' | 'inVault' | 'addedAt'>): Promise<void> {
    // Keychain first: a crash right after this still leaves the value recoverable by its key id.
    await deps.secrets.set(accounts.key(r.newKeyId), value)
    await deps.store.update((d) => {
      if (d.keys.some((k) => k.id === r.newKeyId)) return
      d.keys.push({ ...meta, id: r.newKeyId, fingerprint: fingerprint(value), inVault: true, addedAt: stamp() })
    })
    deps.emit?.({ type: 'keys.changed' })
  }

  async function create(r: Rotation, adapter: ProviderAdapter): Promise<Rotation> {
    if (!adapter.createKey || !adapter.listKeys) throw new KeywardenError('unsupported', `${adapter.provider.name} cannot create keys by API.`)
    let token = r.idempotencyToken
    if (r.state === 'creating') {
      // Resumed: the service may already hold the key this rotation asked for.
      const existing = (await adapter.listKeys()).find((k) => k.name === r.newName)
      if (existing) {
        const saved = await deps.secrets.get(accounts.key(r.newKeyId))
        if (saved) {
          // The value reached the keychain before the interruption; the metadata may not have.
          await storeNewKey(r, saved, metaFromRemote(existing, { id: r.newKeyId, providerId: r.providerId, inVault: true, addedAt: stamp() }))
          return advance(r, 'created', { newRemoteId: existing.remoteId }, 'found the key created before the interruption')
        }
        // Created, but the value never reached the keychain: nobody can ever use it. Revoke it and
        // ask again under a fresh token, so the service does not hand back the same dead record.
        if (adapter.revokeKey) await revokeIdempotent(adapter, existing.remoteId)
        token = `${r.idempotencyToken}-${existing.remoteId.slice(0, 8)}`
      }
    } else {
      r = await advance(r, 'creating')
    }
    const { record, value } = await adapter.createKey({ name: r.newName, idempotencyKey: token })
    await storeNewKey(r, value, metaFromRemote(record, { id: r.newKeyId, providerId: r.providerId, inVault: true, addedAt: stamp() }))
    return advance(r, 'created', { newRemoteId: record.remoteId }, `new key ${maskSecret(value)}`)
  }

  async function updateBindings(r: Rotation): Promise<Rotation> {
    const value = await newValue(r)
    for (const entry of r.bindings) {
      if (entry.status !== 'pending') continue
      const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
      if (!binding) {
        entry.status = 'updated'
        continue
      }
      const result = await deps.writer.update(binding, value)
      await deps.store.update((d) => {
        const b = d.bindings.find((x) => x.id === binding.id)
        if (b) b.keyId = r.newKeyId
      })
      entry.status = result.needsPerson ? 'needs-person' : 'updated'
      entry.changeId = result.changeId
      r = await deps.journal.save({ ...r, bindings: r.bindings.map((x) => (x.bindingId === entry.bindingId ? { ...entry } : x)), updatedAt: stamp() })
    }
    deps.emit?.({ type: 'bindings.changed' })
    return advance(r, 'bindings-updated')
  }

  async function verify(r: Rotation, adapter: ProviderAdapter): Promise<Rotation> {
    const value = await newValue(r)
    const results: ValidationResult[] = [await adapter.validateKey(value)]
    const urls = new Set(deps.store.read().bindings.filter((b) => b.keyId === r.newKeyId).map((b) => b.url))
    for (const url of urls) {
      results.push(await deps.probe({ url, header: { name: adapter.header.name, value: headerValue(adapter.header, value) }, serviceName: adapter.provider.name }))
    }
    const failed = results.find((x) => !x.valid)
    if (failed) {
      await restoreBindings(r)
      return advance(deps.journal.get(r.id), 'rolled-back', { newKeyOutcome: 'kept' }, `verification failed: ${failed.message}`).then((x) =>
        deps.journal.save({ ...x, error: `Verification failed: ${failed.message} Your tools were put back on the old key, which still works. The new key was kept; revoke it or try again.` })
      )
    }
    return advance(r, 'verified')
  }

  async function restoreBindings(r: Rotation): Promise<void> {
    await restoreEach(r)
    deps.emit?.({ type: 'bindings.changed' })
  }

  async function restoreEach(r: Rotation): Promise<void> {
    let current = deps.journal.get(r.id)
    // Pending entries too: the process may have died after writing a file but before journaling it.
    const oldValue = current.bindings.some((e) => e.status !== 'restored') ? await deps.secrets.get(accounts.key(r.keyId)) : null
    for (const entry of current.bindings) {
      if (entry.status === 'restored') continue
      const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
      if (binding) {
        if (!oldValue) throw new KeywardenError('conflict', 'The old key is no longer in the keychain, so tools cannot be put back on it. Resume the rotation instead.')
        await deps.writer.restore(binding, oldValue)
      }
      await deps.store.update((d) => {
        const b = d.bindings.find((x) => x.id === entry.bindingId)
        if (b) b.keyId = r.keyId
      })
      current = await deps.journal.save({
        ...current,
        bindings: current.bindings.map((x) => (x.bindingId === entry.bindingId ? { ...x, status: 'restored' as const } : x)),
        updatedAt: stamp()
      })
    }
  }

  async function retireOldKey(r: Rotation): Promise<void> {
    await deps.store.update((d) => {
      const k = d.keys.find((x) => x.id === r.keyId)
      if (k) Object.assign(k, { status: 'revoked', inVault: false })
    })
    await deps.secrets.delete(accounts.key(r.keyId)).catch(() => false)
    deps.emit?.({ type: 'keys.changed' })
  }


  return { stamp, keyById, providerOf, bindingsOf, advance, fail, newValue, storeNewKey, create, updateBindings, verify, restoreBindings, retireOldKey }
}
