import { KeywardenError } from '../../shared/errors'
import type { AppEvent } from '../../shared/contract'
import type { Binding, KeyMeta, Provider } from '../../shared/schemas'
import { openMetadataStore, type VaultData } from './metadata-store'
import { createKeyRecords, type KeyRecords } from './key-records'
import { createBindingRecords, type BindingRecords } from './binding-records'
import { createProviderRecords, createSettings, type ProviderRecords, type Settings } from './provider-records'

// The vault announces what changed; a rotation's progress is the engine's to tell.
type EventType = Exclude<AppEvent['type'], 'rotation.progress'>

/**
 * `vault.json` and the rules that hold for it. It is the only writer of that file: services read
 * records by id (one not-found wording per record) and change them through the verbs of each
 * aggregate, and every commit tells the listeners what changed.
 *
 * Its rules, kept here and nowhere else:
 * - a key that bindings use is not revoked by Keywarden on its own, and is never removed;
 * - a binding moves to another key only through `bindings.reassign`, never by editing a record;
 * - a key a rotation holds gets no new bindings, and a sync leaves it as it is.
 */
export interface Vault {
  readonly file: string
  /** Set when the file on disk could not be read at start and was moved aside. */
  readonly loadError?: KeywardenError
  keys: KeyRecords
  bindings: BindingRecords
  providers: ProviderRecords
  settings: Settings
  /** Listens for what each commit changed; returns the unsubscribe function. */
  onChange(listener: (event: AppEvent) => void): () => void
}

export interface VaultOptions {
  now?: () => Date
  /** Whether a rotation holds this key (as its old or its new key); such a key keeps still. */
  heldByRotation?: (keyId: string) => boolean
  /** How a binding is named to a person ("Cursor (global): acme"). */
  describeBinding?: (binding: Binding) => string
}

/** What the verbs share: reads of the newest content, one commit path, the rules' wording. */
export interface VaultCore {
  data(): VaultData
  commit<T>(events: EventType[], change: (data: VaultData) => T): Promise<T>
  /** A change cheap to lose (sync bookkeeping): in memory until the next commit, announced at once. */
  touch(events: EventType[], change: (data: VaultData) => void): void
  held(keyId: string): boolean
  label(binding: Binding): string
  now(): Date
  key(data: VaultData, id: string): KeyMeta
  provider(data: VaultData, id: string): Provider
}

export const NOT_FOUND = {
  key: 'That key is no longer in the vault. Refresh the list.',
  provider: 'That provider is no longer connected.',
  binding: 'That binding is no longer recorded.'
}

/** Opens the vault in a data folder (see `openMetadataStore` for a file that cannot be read). */
export async function openVault(dataDir: string, options: VaultOptions = {}): Promise<Vault> {
  const now = options.now ?? (() => new Date())
  const store = await openMetadataStore(dataDir, now)
  const listeners = new Set<(event: AppEvent) => void>()
  const announce = (events: EventType[]) => {
    for (const type of new Set(events)) for (const listener of listeners) listener({ type })
  }
  const core: VaultCore = {
    data: () => store.read(),
    async commit(events, change) {
      const result = await store.update(change)
      announce(events)
      return result
    },
    touch(events, change) {
      store.touch(change)
      announce(events)
    },
    held: (keyId) => options.heldByRotation?.(keyId) ?? false,
    label: (b) => options.describeBinding?.(b) ?? `${b.client} (${b.scope}): ${b.serverName}`,
    now,
    key(data, id) {
      const key = data.keys.find((k) => k.id === id)
      if (!key) throw new KeywardenError('not-found', NOT_FOUND.key)
      return key
    },
    provider(data, id) {
      const provider = data.providers.find((p) => p.id === id)
      if (!provider) throw new KeywardenError('not-found', NOT_FOUND.provider)
      return provider
    }
  }
  return {
    file: store.file,
    loadError: store.loadError,
    keys: createKeyRecords(core),
    bindings: createBindingRecords(core),
    providers: createProviderRecords(core),
    settings: createSettings(core),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

/** "Claude Code (user): acme and Cursor (global): acme" for a rule's message. */
export function namesOf(core: VaultCore, bindings: Binding[]): string {
  const names = bindings.map((b) => core.label(b))
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}
