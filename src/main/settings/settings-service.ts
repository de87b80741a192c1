import { KeywardenError } from '../../shared/errors'
import { defaultPreferences, type Preferences, type Settings } from '../../shared/settings'
import type { Vault } from '../vault/vault'
import type { UserPresence } from './user-presence'

const KEYCHAIN_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
  linux: 'Secret Service (GNOME Keyring, KWallet or KeePassXC)'
}

/** The person's preferences, kept in the vault file beside the keys, and the facts the Settings page shows. */
export function createSettingsService(deps: {
  vault: Vault
  presence: UserPresence
  dataDir: string
  platform: NodeJS.Platform
  version: string
}) {
  const preferences = (): Preferences => ({ ...defaultPreferences, ...deps.vault.settings.get() })

  async function get(): Promise<Settings> {
    return {
      ...preferences(),
      unlock: await deps.presence.available(),
      dataDir: deps.dataDir,
      keychainBackend: KEYCHAIN_NAMES[deps.platform] ?? 'the system keychain',
      version: deps.version
    }
  }

  return {
    get,
    preferences,

    async update(patch: Partial<Preferences>): Promise<Settings> {
      if (patch.requireUnlock && !(await deps.presence.available()).available)
        throw new KeywardenError('unsupported', 'This computer offers no account check Keywarden can ask for, so this setting stays off.')
      await deps.vault.settings.setPreferences(patch)
      return get()
    },

    /** Before a value leaves the keychain: asks for the account check when the person turned it on. */
    async confirmPresence(reason: string): Promise<void> {
      if (!preferences().requireUnlock) return
      if (!(await deps.presence.available()).available) return
      if (!(await deps.presence.confirm(reason)))
        throw new KeywardenError(
          'unauthorized',
          'The account check was cancelled, so the key stayed in the keychain. Try again when ready.'
        )
    }
  }
}

export type SettingsService = ReturnType<typeof createSettingsService>
