import { randomBytes, randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Binding, KeyMeta, Provider, Rotation, RotationState } from '../../shared/schemas'
import type { ProviderAdapter, ValidationResult } from '../providers/adapter'
import { headerValue } from '../providers/catalog'
import { recognise } from '../keys/import'
import { metaFromRemote } from '../keys/keys-service'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { Journal } from './journal'

/** Rewrites the config entry behind a binding; helper placements need no file change at all. */
export interface BindingWriter {
  update(binding: Binding, newValue: string): Promise<{ changeId?: string; needsPerson?: boolean }>
  restore(binding: Binding, changeId: string): Promise<void>
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

const FINISHED: RotationState[] = ['done', 'rolled-back']

/** Revoking twice is fine: a key the service no longer knows is as revoked as it gets. */
async function revokeIdempotent(adapter: ProviderAdapter, remoteId: string): Promise<void> {
  try {
    await adapter.revokeKey!(remoteId)
  } catch (error) {
    if (!(error instanceof KeywardenError && error.code === 'not-found')) throw error
  }
}

/**
 * Guided rotation as a journaled state machine: planned → creating → created → bindings-updated →
 * verified → done (dashboard-managed services wait for the person at awaiting-new-key and
 * awaiting-revoke). Every transition is written to the journal before the step it announces runs,
 * the new value reaches the keychain before anything else happens to it, and the old key is
 * revoked only after every binding points at the new one and the new one is verified.
 */
export function createRotationEngine(deps: RotationDeps) {
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
    for (const entry of current.bindings) {
      if (entry.status !== 'updated' && entry.status !== 'needs-person') continue
      const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
      if (binding && entry.changeId) await deps.writer.restore(binding, entry.changeId)
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

  async function step(r: Rotation): Promise<Rotation> {
    const key = keyById(r.keyId)
    const adapter = deps.adapterFor(providerOf(key))
    switch (r.state) {
      case 'planned':
        return r.mode === 'api' ? create(r, adapter) : advance(r, 'awaiting-new-key')
      case 'creating':
        return create(r, adapter)
      case 'created':
        return updateBindings(r)
      case 'bindings-updated':
        return verify(r, adapter)
      case 'verified':
        if (r.mode === 'dashboard') return advance(r, 'awaiting-revoke')
        if (key.status !== 'revoked' && key.remoteId) await revokeIdempotent(adapter, key.remoteId)
        await retireOldKey(r)
        return advance(r, 'done', {}, `old key ${key.prefix}… revoked`)
      default:
        return r
    }
  }

  /** Runs steps until the rotation is finished, waits for the person, or a step fails. */
  async function run(id: string): Promise<Rotation> {
    let r = deps.journal.get(id)
    while (!FINISHED.includes(r.state) && r.state !== 'awaiting-new-key' && r.state !== 'awaiting-revoke') {
      try {
        const next = await step(r)
        if (next.state === r.state && next.updatedAt === r.updatedAt) break
        r = next
      } catch (error) {
        return fail(r, error)
      }
      if (r.state === 'rolled-back') break
    }
    return deps.journal.get(id)
  }

  return {
    list: () => [...deps.journal.list()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    unfinished: () => deps.journal.list().filter((r) => !FINISHED.includes(r.state)),

    /** What a rotation of this key would do, without doing any of it. */
    plan(keyId: string): Rotation {
      const key = keyById(keyId)
      const adapter = deps.adapterFor(providerOf(key))
      if (key.status === 'revoked') throw new KeywardenError('conflict', `"${key.name}" is already revoked; there is nothing to rotate.`)
      if (!key.inVault) throw new KeywardenError('conflict', `"${key.name}" is not in this vault, so its tools cannot be updated. Import it first.`)
      const mode = adapter.managesKeys && adapter.createKey ? 'api' : 'dashboard'
      if (mode === 'api' && !key.remoteId) throw new KeywardenError('conflict', `"${key.name}" is not linked to its service record yet; sync first.`)
      const token = randomBytes(6).toString('hex')
      const at = stamp()
      return {
        id: randomUUID(),
        keyId,
        providerId: key.providerId,
        mode,
        state: 'planned',
        idempotencyToken: token,
        newName: `${key.name.replace(/ · rotated [0-9a-f]{12}$/, '').slice(0, 170)} · rotated ${token}`,
        newKeyId: randomUUID(),
        bindings: bindingsOf(keyId).map((b) => ({ bindingId: b.id, status: 'pending' as const })),
        startedAt: at,
        updatedAt: at,
        history: [{ state: 'planned', at }]
      }
    },

    async start(keyId: string): Promise<Rotation> {
      if (deps.journal.list().some((r) => r.keyId === keyId && !FINISHED.includes(r.state))) {
        throw new KeywardenError('conflict', 'This key already has a rotation in progress: resume or roll it back first.')
      }
      const r = await deps.journal.save(this.plan(keyId))
      deps.emit?.({ type: 'rotations.changed' })
      return run(r.id)
    },

    resume: run,

    /** Dashboard-managed: the person pasted the key they created in the dashboard. */
    async provideNewKey(id: string, value: string): Promise<Rotation> {
      const r = deps.journal.get(id)
      if (r.state !== 'awaiting-new-key') throw new KeywardenError('conflict', 'This rotation is not waiting for a new key.')
      const old = keyById(r.keyId)
      const provider = providerOf(old)
      const recognised = recognise(value, deps.store.read().providers)
      if (recognised.kind && recognised.kind !== provider.kind) {
        throw new KeywardenError('invalid-input', `That is a ${recognised.label} key; paste the new ${provider.name} key.`)
      }
      if (fingerprint(value.trim()) === old.fingerprint) throw new KeywardenError('invalid-input', 'That is the old key. Create a new one in the dashboard and paste it.')
      const check = await deps.adapterFor(provider).validateKey(value.trim())
      if (!check.valid) throw new KeywardenError('provider-rejected', `${check.message} Paste the new key again.`)
      const at = stamp()
      await storeNewKey(r, value.trim(), {
        providerId: r.providerId,
        name: r.newName,
        prefix: maskSecret(value.trim()).slice(0, -1),
        createdAt: at,
        status: 'active',
        scopes: old.scopes
      })
      await advance(r, 'created', {}, `new key ${maskSecret(value.trim())} checked`)
      return run(id)
    },

    /** Dashboard-managed: the person says the old key is revoked; the service must agree. */
    async confirmRevoked(id: string): Promise<Rotation> {
      const r = deps.journal.get(id)
      if (r.state !== 'awaiting-revoke') throw new KeywardenError('conflict', 'This rotation is not waiting for the old key to be revoked.')
      const old = keyById(r.keyId)
      const oldValue = await deps.secrets.get(accounts.key(r.keyId))
      if (oldValue) {
        const check = await deps.adapterFor(providerOf(old)).validateKey(oldValue)
        if (check.valid) throw new KeywardenError('conflict', `${providerOf(old).name} still accepts the old key (${old.prefix}…). Revoke it in the dashboard, then confirm again.`)
      }
      await retireOldKey(r)
      return advance(r, 'done', {}, 'old key rejected by the service')
    },

    /** Puts every tool back on the old key; an API-created new key is revoked unless asked to keep it. */
    async rollback(id: string, options: { keepNewKey?: boolean } = {}): Promise<Rotation> {
      let r = deps.journal.get(id)
      if (r.state === 'done') throw new KeywardenError('conflict', 'This rotation is finished: the old key is revoked and cannot come back.')
      if (r.state === 'verified' || r.state === 'awaiting-revoke') {
        // The old key may already be gone at the service; check before moving tools back onto it.
        const oldValue = await deps.secrets.get(accounts.key(r.keyId))
        const old = keyById(r.keyId)
        if (!oldValue || !(await deps.adapterFor(providerOf(old)).validateKey(oldValue)).valid) {
          throw new KeywardenError('conflict', 'The old key no longer works, so rolling back would break your tools. Resume the rotation instead.')
        }
      }
      await restoreBindings(r)
      r = deps.journal.get(id)
      let outcome: Rotation['newKeyOutcome'] = r.newKeyOutcome ?? 'none'
      const newKey = deps.store.read().keys.find((k) => k.id === r.newKeyId)
      if (newKey && !options.keepNewKey && newKey.status !== 'revoked') {
        const adapter = deps.adapterFor(providerOf(keyById(r.keyId)))
        if (adapter.revokeKey && newKey.remoteId) {
          await revokeIdempotent(adapter, newKey.remoteId)
          await deps.store.update((d) => {
            const k = d.keys.find((x) => x.id === r.newKeyId)
            if (k) Object.assign(k, { status: 'revoked', inVault: false })
          })
          await deps.secrets.delete(accounts.key(r.newKeyId)).catch(() => false)
          outcome = 'revoked'
        } else {
          outcome = 'kept'
        }
      } else if (newKey) {
        outcome = newKey.status === 'revoked' ? 'revoked' : 'kept'
      }
      deps.emit?.({ type: 'keys.changed' })
      return r.state === 'rolled-back' ? deps.journal.save({ ...r, newKeyOutcome: outcome }) : advance(r, 'rolled-back', { newKeyOutcome: outcome }, 'rolled back by request')
    }
  }
}

export type RotationEngine = ReturnType<typeof createRotationEngine>
