import type { Preferences } from '../../shared/settings'
import { KeywardenError } from '../../shared/errors'
import type { Provider } from '../../shared/schemas'
import { redact } from './redaction'
import type { VaultData } from './metadata-store'
import { NOT_FOUND, type VaultCore } from './vault'

export interface ProviderRecords {
  list(): Provider[]
  find(id: string): Provider | undefined
  get(id: string): Provider
  /** A newly connected provider; `first` puts it at the top (the built-in sandbox). */
  add(provider: Provider, options?: { first?: boolean }): Promise<Provider>
  /** New settings for a connected provider (name, addresses, organization). */
  update(provider: Provider): Promise<Provider>
  /** Removes a provider and its keys; refused while bindings use any of them. Returns the keys' ids. */
  remove(id: string): Promise<{ keyIds: string[] }>
  setRotationDays(id: string, days: number | undefined): Promise<Provider>
  /** The last sync failed: the message is kept (masked) for the person. */
  recordSyncFailure(id: string, failure: { message: string; code: string }): Promise<void>
  /** Synced with nothing to change: kept in memory until the next write. */
  markSynced(id: string, at: Date): void
}

export interface Settings {
  get(): VaultData['settings']
  setSandboxPort(port: number): Promise<void>
  recordReminder(at: Date): Promise<void>
  /** The Settings page's choices; the default rotation age decides which keys are due, so keys change with it. */
  setPreferences(patch: Partial<Preferences>): Promise<void>
}

export function createProviderRecords(core: VaultCore): ProviderRecords {
  const syncState = (d: VaultData, id: string) => d.providers.find((p) => p.id === id)
  return {
    list: () => core.data().providers,
    find: (id) => core.data().providers.find((p) => p.id === id),
    get: (id) => core.provider(core.data(), id),

    add: (provider, options = {}) =>
      core.commit(['providers.changed'], (d) => {
        if (d.providers.some((p) => p.id === provider.id)) throw new KeywardenError('conflict', `${provider.name} is already connected.`)
        if (options.first) d.providers.unshift(provider)
        else d.providers.push(provider)
        return provider
      }),

    update: (provider) =>
      core.commit(['providers.changed'], (d) => {
        const i = d.providers.findIndex((p) => p.id === provider.id)
        if (i < 0) throw new KeywardenError('not-found', NOT_FOUND.provider)
        d.providers[i] = provider
        return provider
      }),

    remove: (id) =>
      core.commit(['providers.changed', 'keys.changed'], (d) => {
        const provider = core.provider(d, id)
        const keyIds = d.keys.filter((k) => k.providerId === id).map((k) => k.id)
        const ids = new Set(keyIds)
        if (d.bindings.some((b) => ids.has(b.keyId)))
          throw new KeywardenError('conflict', `${provider.name}'s keys are still used by MCP configs; remove those first (Tools screen).`)
        d.providers = d.providers.filter((p) => p.id !== id)
        d.keys = d.keys.filter((k) => k.providerId !== id)
        return { keyIds }
      }),

    // The due list depends on it, so the key list is told too.
    setRotationDays: (id, days) =>
      core.commit(['providers.changed', 'keys.changed'], (d) => {
        const p = core.provider(d, id)
        p.rotationDays = days
        return { ...p }
      }),

    async recordSyncFailure(id, { message, code }) {
      // Whatever a service said, no key value it echoed is written to the file.
      const safe = redact(message, { fingerprints: new Set(core.data().keys.flatMap((k) => (k.fingerprint ? [k.fingerprint] : []))) })
      await core
        .commit(['providers.changed'], (d) => {
          const p = syncState(d, id)
          if (p) p.sync = { lastSyncedAt: p.sync.lastSyncedAt, error: safe, errorCode: code.slice(0, 40) }
        })
        .catch(() => undefined)
    },

    markSynced(id, at) {
      core.touch(['providers.changed'], (d) => {
        const p = syncState(d, id)
        if (p) p.sync = { lastSyncedAt: at.toISOString() }
      })
    }
  }
}

export function createSettings(core: VaultCore): Settings {
  return {
    get: () => core.data().settings,
    setSandboxPort: (port) =>
      core.commit([], (d) => {
        d.settings.sandboxPort = port
      }),
    recordReminder: (at) =>
      core.commit([], (d) => {
        d.settings.lastReminderAt = at.toISOString()
      }),
    setPreferences: (patch) =>
      core.commit(patch.rotationDays !== undefined ? ['settings.changed', 'keys.changed'] : ['settings.changed'], (d) => {
        Object.assign(d.settings, patch)
      })
  }
}
