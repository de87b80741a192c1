import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createKeytarStore, openVaultKeychain, type SecretStore } from '../vault/secret-store'
import { defaultDataDir } from '../vault/data-dir'
import { findSessionBus } from './session-bus'

/** The three calls of keytar's native module that Keywarden uses (each returns a promise). */
interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

/**
 * Where the keychain module comes from. Run by Node or Electron, it is the keytar package; in the
 * small runtime (a Node single-executable application, which can require only built-ins) it is the
 * keytar.node shipped beside the executable, loaded from that real file.
 */
export function keytarLoader(where: { besideExecutable?: string } = {}): (() => Promise<KeytarModule>) | undefined {
  if (!where.besideExecutable) return undefined
  const executable = where.besideExecutable
  return async () => createRequire(executable)(join(dirname(executable), 'keytar.node')) as KeytarModule
}

export interface KeychainOptions {
  dataDir?: string
  keychainService?: string
  env: Record<string, string | undefined>
  home: string
  platform: NodeJS.Platform
  uid?: number
  besideExecutable?: string
}

/**
 * The data folder and keychain a helper or the bridge reads: spelled out in the command Keywarden
 * writes, so that a client started from any environment finds the same vault.
 */
export function openBoundKeychain(options: KeychainOptions): { dataDir: string; secrets: SecretStore } {
  const fallback = defaultDataDir(options.home, options.platform, options.env)
  const dataDir = options.dataDir ?? fallback
  findSessionBus(options.env, options.platform, options.uid)
  const load = keytarLoader({ besideExecutable: options.besideExecutable })
  // The command Keywarden writes names the service; an older entry finds it (and an earlier
  // version's shared entries) as the vault itself does.
  const secrets = options.keychainService
    ? createKeytarStore({ service: options.keychainService, platform: options.platform, load })
    : openVaultKeychain(dataDir, { home: options.home, platform: options.platform, env: options.env }, { load })
  return { dataDir, secrets }
}
