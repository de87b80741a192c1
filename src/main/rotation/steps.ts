import { KeywardenError } from '../../shared/errors'
import type { AppEvent, RotationProgress } from '../../shared/contract'
import type { Binding, KeyMeta, Provider, Rotation, RotationState } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import type { ProbeResult } from '../providers/mcp-probe'
import { fingerprint } from '../vault/fingerprint'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { Journal } from './journal'
import { redactKeys } from './redact'

/** Rewrites the config entry behind a binding; helper placements need no file change at all. */
export interface BindingWriter {
  /**
   * Writes the new key into the entry. With `oldFingerprint`, the entry must still point at the
   * binding's URL and hold the old key (or already the new one); anything else is refused, not
   * overwritten.
   */
  update(binding: Binding, newValue: string, expect?: { oldFingerprint?: string }): Promise<{ changeId?: string; needsPerson?: boolean }>
  /**
   * Puts the old key back. With `newValue`, only an entry holding the new key is changed (so a
   * repeat is harmless and a value the person put there is left alone).
   */
  restore(binding: Binding, oldValue: string, expect?: { newValue?: string }): Promise<void>
  /** The URL and headers the entry holds now, so verification probes what the tool will send. */
  read?(binding: Binding): Promise<{ url?: string; headers: Record<string, string> } | undefined>
}

export interface RotationDeps {
  store: MetadataStore
  secrets: SecretStore
  journal: Journal
  adapterFor: (provider: Provider) => ProviderAdapter
  writer: BindingWriter
  probe: (options: {
    url: string
    header: { name: string; value: string }
    serviceName: string
  }) => Promise<ProbeResult | { valid: boolean; message: string }>
  now?: () => Date
  emit?: (event: AppEvent) => void
}

/** What each state means, as the wizard streams it while the rotation runs. */
const STATE_WORDS: Record<RotationState, string> = {
  planned: 'Rotation planned.',
  creating: 'Creating the new key at the service…',
  'awaiting-new-key': 'Waiting for you to paste the new key from the dashboard.',
  created: 'The new key is in your keychain. Updating each client…',
  'bindings-updated': 'Every client is updated. Checking the new key with the service and each MCP server…',
  verified: 'The new key works. Revoking the old key…',
  'awaiting-person': 'Waiting for you before the old key is revoked.',
  'awaiting-revoke': 'Waiting for you to revoke the old key in the dashboard.',
  done: 'Done: the old key is revoked.',
  'rolling-back': 'Putting your clients back on the old key…',
  'rolled-back': 'Rolled back: your clients use the old key again.'
}

type Entry = Rotation['bindings'][number]

/** Revoking twice is fine: a key the service no longer knows is as revoked as it gets. */
export async function revokeIdempotent(adapter: ProviderAdapter, remoteId: string): Promise<void> {
  try {
    await adapter.revokeKey!(remoteId)
  } catch (error) {
    if (!(error instanceof KeywardenError && error.code === 'not-found')) throw error
  }
}

/** What the journal and the window may show of an error: the person's message, key-like text masked. */
export function describeError(error: unknown): string {
  const message = error instanceof KeywardenError ? error.message : `Unexpected failure: ${(error as Error)?.message ?? String(error)}`
  return redactKeys(message)
}

/**
 * The shared parts of every rotation step: looking things up, journaling a transition or a
 * failure, and putting a new value in the keychain before anything else happens to it.
 */
export function createRotationCore(deps: RotationDeps) {
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
  const adapterOf = (r: Rotation) => deps.adapterFor(providerOf(keyById(r.keyId)))
  const bindingsOf = (keyId: string) => deps.store.read().bindings.filter((b) => b.keyId === keyId)

  async function advance(r: Rotation, state: RotationState, patch: Partial<Rotation> = {}, note?: string): Promise<Rotation> {
    const at = stamp()
    const next: Rotation = {
      ...r,
      ...patch,
      state,
      error: undefined,
      updatedAt: at,
      history: [...r.history, { state, at, note: note && redactKeys(note).slice(0, 500) }].slice(-100)
    }
    const saved = await deps.journal.save(next)
    deps.emit?.({ type: 'rotations.changed' })
    progress(saved, STATE_WORDS[state])
    return saved
  }

  /** Tells the window what is happening now: a step, or one client's update (labels only, never a value). */
  function progress(r: Rotation, message: string, entry?: Pick<RotationProgress, 'bindingId' | 'bindingStatus'>): void {
    deps.emit?.({
      type: 'rotation.progress',
      rotationId: r.id,
      keyId: r.keyId,
      state: r.state,
      message: redactKeys(message).slice(0, 500),
      ...entry
    })
  }

  /** Journals a change that is not a transition (an entry's outcome, a flag). */
  async function patch(r: Rotation, change: Partial<Rotation>): Promise<Rotation> {
    const saved = await deps.journal.save({ ...r, ...change, updatedAt: stamp() })
    deps.emit?.({ type: 'rotations.changed' })
    return saved
  }

  const withEntry = (r: Rotation, bindingId: string, change: Partial<Entry>): Rotation => ({
    ...r,
    bindings: r.bindings.map((x) => (x.bindingId === bindingId ? { ...x, ...change } : x))
  })

  async function fail(r: Rotation, error: unknown): Promise<Rotation> {
    const saved = await deps.journal.save({ ...deps.journal.get(r.id), error: describeError(error), updatedAt: stamp() })
    deps.emit?.({ type: 'rotations.changed' })
    return saved
  }

  // The new value as this process last wrote it to the keychain, so one run does not read it back
  // at every step; the engine clears it around each operation, so it never outlives one.
  const written = new Map<string, string>()

  async function newValue(r: Rotation): Promise<string> {
    const value = written.get(r.newKeyId) ?? (await deps.secrets.get(accounts.key(r.newKeyId)))
    if (!value) throw new KeywardenError('not-found', 'The new key is missing from the keychain; roll this rotation back.')
    return value
  }

  async function storeNewKey(r: Rotation, value: string, meta: Omit<KeyMeta, 'id' | 'fingerprint' | 'inVault' | 'addedAt'>): Promise<void> {
    // Keychain first: a crash right after this still leaves the value recoverable by its key id.
    await deps.secrets.set(accounts.key(r.newKeyId), value)
    written.set(r.newKeyId, value)
    const fp = fingerprint(value)
    await deps.store.update((d) => {
      // A sync that ran while the rotation was interrupted may have listed the new key as "not in
      // this vault": this row takes its place, so the key appears once, with its value.
      d.keys = d.keys.filter(
        (k) =>
          k.id === r.newKeyId ||
          !(k.providerId === r.providerId && ((meta.remoteId && k.remoteId === meta.remoteId) || (!k.inVault && k.fingerprint === fp)))
      )
      const existing = d.keys.find((k) => k.id === r.newKeyId)
      if (existing) Object.assign(existing, { remoteId: existing.remoteId ?? meta.remoteId, fingerprint: fp, inVault: true })
      else d.keys.push({ ...meta, id: r.newKeyId, fingerprint: fp, inVault: true, addedAt: stamp() })
    })
    deps.emit?.({ type: 'keys.changed' })
  }

  /** Marks a key revoked in the vault and drops its value from the keychain. */
  async function retireKey(keyId: string): Promise<void> {
    written.delete(keyId)
    await deps.store.update((d) => {
      const k = d.keys.find((x) => x.id === keyId)
      if (k) Object.assign(k, { status: 'revoked', inVault: false })
    })
    await deps.secrets.delete(accounts.key(keyId)).catch(() => false)
    deps.emit?.({ type: 'keys.changed' })
  }

  /**
   * At the end of a rotation the new key takes the old key's place in the list: its name (kept
   * through syncs; the service still knows it by the rotation's name), notes and tags.
   */
  async function handOverName(r: Rotation): Promise<void> {
    await deps.store.update((d) => {
      const old = d.keys.find((k) => k.id === r.keyId)
      const successor = d.keys.find((k) => k.id === r.newKeyId)
      if (!old || !successor) return
      Object.assign(successor, { name: old.name, namedHere: true, notes: old.notes, tags: old.tags })
    })
    deps.emit?.({ type: 'keys.changed' })
  }

  return {
    forgetWritten: () => written.clear(),
    handOverName,
    progress,
    stamp,
    keyById,
    providerOf,
    adapterOf,
    bindingsOf,
    advance,
    patch,
    withEntry,
    fail,
    newValue,
    storeNewKey,
    retireKey
  }
}

export type RotationCore = ReturnType<typeof createRotationCore>
