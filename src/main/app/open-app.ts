import { mkdir } from 'node:fs/promises'
import type { AppEvent, AppStatus } from '../../shared/contract'
import { recognise } from '../keys/import'
import { catalogForWindow } from '../providers/catalog'
import { dueKeysIn } from '../rotation/policy'
import { openJournal } from '../rotation/journal'
import { openExternal } from '../shell/open-external'
import { openVault } from '../vault/vault'
import type { SecretStore } from '../vault/secret-store'
import { createClient, type AppClient } from '../ipc/client'
import { createDispatch, type Dispatch } from '../ipc/dispatch'
import { answeredFromFiles, createHandlers } from '../ipc/handlers'
import type { AppOptions } from './options'
import type { Services, StartedServices } from './services'
import { createSettingsService } from '../settings/settings-service'
import { noUserPresence } from '../settings/user-presence'

export type { AppOptions } from './options'

/** Keywarden without a window: what the Electron shell, the command line and the tests open. */
export interface App {
  /** The contract as typed calls over `dispatch`: the one application API. */
  readonly api: AppClient
  /** The contract as one function (what the IPC binding and the test bridge call). */
  readonly dispatch: Dispatch
  readonly services: Services
  readonly dataDir: string
  readonly home: string
  readonly secrets: SecretStore
  /** Builds the services that reach providers and client files, and starts or finds the sandbox; once. */
  start(): Promise<void>
  onEvent(listener: (event: AppEvent) => void): () => void
  close(): Promise<void>
}

/**
 * Opens the vault and the rotation journal at once; everything else is built on the first method
 * that needs it, so a command that only lists answers without loading or starting any of it. The
 * window starts everything right away (`sandbox: 'start'`).
 */
export async function openApp(options: AppOptions): Promise<App> {
  const now = options.now ?? (() => new Date())
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  let started: StartedServices | undefined
  let engine: { isRotating(keyId: string): boolean } | undefined
  let describe: ((b: { client: string; scope: string; serverName: string }) => string) | undefined
  const vault = await openVault(options.dataDir, {
    now,
    heldByRotation: (keyId) => (engine ? engine.isRotating(keyId) : journal.holds(keyId)),
    describeBinding: (b) => (describe ? describe(b) : `${b.client} (${b.scope}): ${b.serverName}`)
  })
  const journal = await openJournal(options.dataDir, now, () => vault.keys.fingerprints())
  const listeners = new Set<(event: AppEvent) => void>()
  const emit = (event: AppEvent) => listeners.forEach((l) => l(event))
  vault.onChange(emit)
  journal.onChange(emit)

  let starting: Promise<void> | undefined
  const start = () =>
    (starting ??= (async () => {
      const [{ startServices }, { clientScopeLabel }] = await Promise.all([import('./start-services'), import('../mcp-config/clients')])
      describe = (b) => `${clientScopeLabel(b.client, b.scope)}: ${b.serverName}`
      started = await startServices(options, vault, journal, (e) => (engine = e), settings, emit)
    })())
  const need = (): StartedServices => {
    if (!started) throw new Error('A service was used before the app started it.')
    return started
  }

  const settings = createSettingsService({
    vault,
    presence: options.presence ?? noUserPresence,
    dataDir: options.dataDir,
    platform: options.platform,
    version: options.version
  })

  let keychainStatus: Promise<{ available: boolean; message?: string }> | undefined
  const services: Services = {
    vault,
    journal,
    async status(): Promise<AppStatus> {
      keychainStatus ??= options.secrets.probe()
      const keychain = await keychainStatus
      if (!keychain.available) keychainStatus = undefined
      return {
        version: options.version,
        keychain,
        sandbox: {
          running: Boolean(started?.sandbox),
          url: started?.sandbox?.url,
          error: started?.sandboxError,
          lasting: started?.sandboxLasting
        },
        metadataError: [vault.loadError?.message, journal.loadError?.message].filter(Boolean).join(' ') || undefined
      }
    },
    openExternal: (url) => openExternal(url, options.openUrl ?? (async () => {})),
    dueKeys: () => dueKeysIn(vault, now()),
    catalog: catalogForWindow,
    recognise: (value) => recognise(value, vault.providers.list()),
    settings,
    pickFolder: async () => options.pickFolder?.(),
    get keys() {
      return need().keys
    },
    get sync() {
      return need().sync
    },
    get providers() {
      return need().providers
    },
    get bindings() {
      return need().bindings
    },
    get keyRemoval() {
      return need().keyRemoval
    },
    get rotation() {
      return need().rotation
    },
    get findings() {
      return need().findings
    },
    testServer: (ref) => need().testServer(ref),
    importKey: (input) => need().importKey(input),
    adapterFor: (provider) => need().adapterFor(provider),
    get sandbox() {
      return started?.sandbox
    }
  }

  const dispatch = createDispatch(
    createHandlers(services),
    console.error,
    (method) => (answeredFromFiles.has(method) ? undefined : start()),
    (data) => data === vault.keys.list() || data === vault.bindings.list() || data === vault.providers.list() || data === journal.history()
  )
  if (options.sandbox === 'start') await start()
  return {
    api: createClient(dispatch),
    dispatch,
    services,
    dataDir: options.dataDir,
    home: options.home,
    secrets: options.secrets,
    start,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      await starting?.catch(() => undefined)
      await started?.close()
      listeners.clear()
    }
  }
}
