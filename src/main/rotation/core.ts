import { KeywardenError } from '../../shared/errors'
import type { RotationProgress } from '../../shared/contract'
import type { Binding, KeyMeta, Provider, Rotation, RotationState } from '../../shared/schemas'
import type { BindingWriter } from '../bindings/writer'
import type { ProviderAdapter } from '../providers/adapter'
import type { ProbeResult } from '../providers/mcp-probe'
import { fingerprint } from '../vault/fingerprint'
import { redact } from '../vault/redaction'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { Journal } from './journal'
import type { ActivityRecorder } from '../activity/recorder'

export type { BindingWriter }

export interface RotationDeps {
  vault: Vault
  secrets: SecretStore
  journal: Journal
  adapterFor: (provider: Provider) => ProviderAdapter
  writer: BindingWriter
  probe: (options: {
    url: string
    header: { name: string; value: string }
    serviceName: string
  }) => Promise<ProbeResult | { valid: boolean; message: string }>
  /** Told after a key is revoked (the old key at the end, a new key rolled back): backups holding only revoked keys go. */
  onRetired?: () => Promise<void>
  /** Runs a binding's keychain bridge as its client would (helper and bridge placements read the key at connect time). */
  probeBridge?: (binding: Binding, serviceName: string) => Promise<ProbeResult>
  /** Hears each step and each client's update as it happens (the window's wizard streams them). */
  onProgress?: (event: RotationProgress) => void
  now?: () => Date
  /** Where each step is recorded. */
  activity?: ActivityRecorder
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
  return redact(message)
}

/**
 * The shared parts of every rotation step: looking things up, journaling a transition or a
 * failure, and putting a new value in the keychain before anything else happens to it.
 */
export function createRotationCore(deps: RotationDeps) {
  const now = deps.now ?? (() => new Date())
  const stamp = () => now().toISOString()

  const { vault } = deps
  const keyById = (id: string): KeyMeta => vault.keys.get(id)
  const providerOf = (key: KeyMeta): Provider => vault.providers.get(key.providerId)
  const adapterOf = (r: Rotation) => deps.adapterFor(providerOf(keyById(r.keyId)))
  const bindingsOf = (keyId: string) => vault.bindings.ofKey(keyId)

  async function advance(r: Rotation, state: RotationState, patch: Partial<Rotation> = {}, note?: string): Promise<Rotation> {
    const at = stamp()
    const next: Rotation = {
      ...r,
      ...patch,
      state,
      error: undefined,
      updatedAt: at,
      history: [...r.history, { state, at, note: note && redact(note).slice(0, 500) }].slice(-100)
    }
    const saved = await deps.journal.save(next)
    progress(saved, STATE_WORDS[state])
    // A step taken again after a resume ("creating" under a fresh token) is the same step: logged once.
    if (state !== r.state) await deps.activity?.rotationStep(saved, vault.keys.find(r.keyId))
    return saved
  }

  /** Tells the window what is happening now: a step, or one client's update (labels only, never a value). */
  function progress(r: Rotation, message: string, entry?: Pick<RotationProgress, 'bindingId' | 'bindingStatus'>): void {
    deps.onProgress?.({
      type: 'rotation.progress',
      rotationId: r.id,
      keyId: r.keyId,
      state: r.state,
      message: redact(message, { fingerprints: vault.keys.fingerprints() }).slice(0, 500),
      ...entry
    })
  }

  /** Journals a change that is not a transition (an entry's outcome, a flag). */
  async function patch(r: Rotation, change: Partial<Rotation>): Promise<Rotation> {
    return deps.journal.save({ ...r, ...change, updatedAt: stamp() })
  }

  const withEntry = (r: Rotation, bindingId: string, change: Partial<Entry>): Rotation => ({
    ...r,
    bindings: r.bindings.map((x) => (x.bindingId === bindingId ? { ...x, ...change } : x))
  })

  async function fail(r: Rotation, error: unknown): Promise<Rotation> {
    return deps.journal.save({ ...deps.journal.get(r.id), error: describeError(error), updatedAt: stamp() })
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
    // A sync that ran while the rotation was interrupted may have listed the new key as "not in
    // this vault": the vault puts this row in its place, so the key appears once, with its value.
    await vault.keys.settleNew({ ...meta, id: r.newKeyId, fingerprint: fingerprint(value), inVault: true, addedAt: stamp() })
  }

  /**
   * Revokes a key (the request to its service, if any, runs only once the vault agrees that no
   * binding uses it), marks it revoked and drops its value from the keychain.
   */
  async function retireKey(keyId: string, atService?: () => Promise<void>, hint?: string): Promise<void> {
    written.delete(keyId)
    if (vault.keys.find(keyId)) await vault.keys.revoke(keyId, { atService, hint })
    else await atService?.()
    await deps.secrets.delete(accounts.key(keyId)).catch(() => false)
    await deps.onRetired?.()
  }

  /**
   * At the end of a rotation the new key takes the old key's place in the list: its name (kept
   * through syncs; the service still knows it by the rotation's name), notes and tags.
   */
  const handOverName = (r: Rotation): Promise<void> => vault.keys.handOver(r.keyId, r.newKeyId)

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
