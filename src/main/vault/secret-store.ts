import { KeywardenError } from '../../shared/errors'

/** The OS keychain, seen through the four operations Keywarden needs. */
export interface SecretStore {
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<boolean>
  /** Checks that a keychain answers at all, without reading any secret. */
  probe(): Promise<{ available: boolean; message?: string }>
}

interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export const KEYCHAIN_SERVICE = 'Keywarden'

/**
 * The keychain service for a data folder: the app's own folder uses "Keywarden"; any other folder
 * (a second profile, a development copy) gets entries of its own, so two vaults never share them.
 */
export function keychainService(dataDir: string, defaultDataDir: string): string {
  return dataDir === defaultDataDir ? KEYCHAIN_SERVICE : `${KEYCHAIN_SERVICE} (${dataDir})`
}

const linuxHelp =
  'No keychain (Secret Service) is available. Install and start one, for example gnome-keyring ' +
  '(Debian/Ubuntu: sudo apt install gnome-keyring libsecret-1-0) or KeePassXC with Secret Service ' +
  'integration, then restart Keywarden. Keywarden never stores key values anywhere else.'

function unavailableMessage(platform: NodeJS.Platform, detail: string): string {
  const base =
    platform === 'linux'
      ? linuxHelp
      : platform === 'darwin'
        ? 'The macOS Keychain did not answer. Unlock your login keychain and try again.'
        : 'Windows Credential Manager did not answer. Check that you are signed in to a normal user session.'
  return detail ? `${base} (${detail.slice(0, 160)})` : base
}

/**
 * The keychain through keytar. Loading keytar is deferred so that a machine without libsecret gets
 * a plain message instead of a crash at start.
 */
export function createKeytarStore(
  options: {
    service?: string
    platform?: NodeJS.Platform
    load?: () => Promise<KeytarLike>
  } = {}
): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE
  const platform = options.platform ?? process.platform
  const load = options.load ?? loadKeytar
  let keytar: Promise<KeytarLike> | undefined

  async function withKeytar<T>(fn: (k: KeytarLike) => Promise<T>): Promise<T> {
    keytar ??= load()
    let k: KeytarLike
    try {
      k = await keytar
    } catch (error) {
      keytar = undefined
      throw new KeywardenError('keychain-unavailable', unavailableMessage(platform, errorText(error)), { cause: error })
    }
    try {
      return await fn(k)
    } catch (error) {
      throw new KeywardenError('keychain-unavailable', unavailableMessage(platform, errorText(error)), { cause: error })
    }
  }

  return {
    get: (account) => withKeytar((k) => k.getPassword(service, account)),
    set: (account, value) => withKeytar((k) => k.setPassword(service, account, value)),
    delete: (account) => withKeytar((k) => k.deletePassword(service, account)),
    async probe() {
      try {
        // A lookup of an account that never exists: proves the keychain answers, reads nothing.
        await withKeytar((k) => k.getPassword(service, '__keywarden_probe__'))
        return { available: true }
      } catch (error) {
        return { available: false, message: error instanceof Error ? error.message : String(error) }
      }
    }
  }
}

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike
  return mod.default ?? mod
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Wraps a store to count reads: the key list must be shown without any. */
export function countingStore(inner: SecretStore): SecretStore & { reads: number } {
  const counted = {
    reads: 0,
    get: async (account: string) => {
      counted.reads++
      return inner.get(account)
    },
    set: inner.set.bind(inner),
    delete: inner.delete.bind(inner),
    probe: inner.probe.bind(inner)
  }
  return counted
}

/** Account names inside the keychain service, so every writer uses the same ones. */
export const accounts = {
  key: (keyId: string) => `key:${keyId}`,
  providerPassword: (providerId: string) => `provider:${providerId}:password`,
  providerApiKey: (providerId: string) => `provider:${providerId}:api-key`,
  providerSession: (providerId: string) => `provider:${providerId}:session`
}
