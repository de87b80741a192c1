import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import { defaultDataDir } from './data-dir'

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
  findCredentials?(service: string): Promise<Array<{ account: string; password: string }>>
}

export const KEYCHAIN_SERVICE = 'Keywarden'

/** Where the program runs: enough to tell the app's own data folder from any other. */
export interface VaultPlace {
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
}

/**
 * The keychain service for a data folder: the app's own folder uses "Keywarden"; any other folder
 * (KEYWARDEN_DATA_DIR, --data-dir, a development copy) gets entries of its own, so two vaults never
 * share them. The app's own folder is found without KEYWARDEN_DATA_DIR, which only moves a vault.
 */
export function keychainService(dataDir: string, place: VaultPlace): string {
  const own = defaultDataDir(place.home, place.platform, { ...place.env, KEYWARDEN_DATA_DIR: undefined })
  const same =
    place.platform === 'linux' ? resolve(dataDir) === resolve(own) : resolve(dataDir).toLowerCase() === resolve(own).toLowerCase()
  return same ? KEYCHAIN_SERVICE : `${KEYCHAIN_SERVICE} (${dataDir})`
}

/**
 * The keychain of the vault in a data folder. Versions before this one kept the entries of a
 * KEYWARDEN_DATA_DIR vault under "Keywarden": such a vault (one that exists, with nothing under its
 * own service yet) reads its entries from there and copies each into its own service on first use.
 * The old entries are never deleted: the app's own vault may use the same account names.
 */
export function openVaultKeychain(dataDir: string, place: VaultPlace, options: { load?: () => Promise<KeytarLike> } = {}): SecretStore {
  const service = keychainService(dataDir, place)
  if (service === KEYCHAIN_SERVICE) return createKeytarStore({ service, load: options.load })
  const marker = join(dataDir, 'keychain.json')
  let decided: { service: string; migrateFrom?: string } | undefined
  try {
    decided = JSON.parse(readFileSync(marker, 'utf8')) as { service: string; migrateFrom?: string }
    if (decided.service !== service) decided = undefined
  } catch {
    decided = undefined
  }
  const existed = existsSync(join(dataDir, 'vault.json'))
  const record = (value: { service: string; migrateFrom?: string }) => {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 })
      writeFileSync(marker, JSON.stringify(value), { mode: 0o600 })
    } catch {
      // Decided again next time; reading is unaffected.
    }
  }
  if (!decided && !existed) {
    // A new vault: nothing of it can be anywhere else.
    decided = { service }
    record(decided)
  }
  return createKeytarStore({
    service,
    load: options.load,
    migrateFrom: decided ? decided.migrateFrom : existed ? KEYCHAIN_SERVICE : undefined,
    // A vault that already has entries of its own never shared "Keywarden": nothing to read there.
    decide: decided
      ? undefined
      : async (ownEntries) => {
          const migrateFrom = ownEntries === 0 ? KEYCHAIN_SERVICE : undefined
          record({ service, migrateFrom })
          return migrateFrom
        }
  })
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
    /** An earlier service this vault's entries may still be under: read there and copied over. */
    migrateFrom?: string
    /** Decides once, from the number of entries under `service`, whether `migrateFrom` applies. */
    decide?: (ownEntries: number) => Promise<string | undefined>
  } = {}
): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE
  let migrateFrom: Promise<string | undefined> | undefined
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

  const legacy = (k: KeytarLike) =>
    (migrateFrom ??= options.decide
      ? (k.findCredentials?.(service) ?? Promise.resolve([])).then((own) => options.decide!(own.length))
      : Promise.resolve(options.migrateFrom))

  return {
    get: (account) =>
      withKeytar(async (k) => {
        const own = await k.getPassword(service, account)
        const from = own === null ? await legacy(k) : undefined
        if (own !== null || !from) return own
        const old = await k.getPassword(from, account)
        if (old !== null) await k.setPassword(service, account, old)
        return old
      }),
    set: (account, value) =>
      withKeytar(async (k) => {
        await legacy(k)
        await k.setPassword(service, account, value)
      }),
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
