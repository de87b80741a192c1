import { mkdir } from 'node:fs/promises'
import type { AppEvent, AppStatus } from '../shared/contract'
import { createKeysService, type Clipboard } from './keys/keys-service'
import { createSyncService } from './keys/sync'
import { createAdapterRegistry } from './providers/registry'
import { createProvidersService } from './providers/providers-service'
import { ensureSandboxProvider } from './providers/sandbox-provider'
import { startSandbox } from './sandbox/server'
import { findRunningSandbox } from './sandbox/discover'
import { openMetadataStore } from './vault/metadata-store'
import { openJournal } from './rotation/journal'
import { createRotationEngine } from './rotation/engine'
import { createBindingWriter } from './bindings/writer'
import { createBindingsService } from './bindings/bindings-service'
import { helperCommand } from './bindings/helper-command'
import { createBackupStore } from './mcp-config/files/backups'
import { createServerTest } from './bindings/server-test'
import { probeMcp } from './providers/mcp-probe'
import { keychainService, type SecretStore } from './vault/secret-store'
import { defaultDataDir } from './vault/data-dir'
import { createSettingsService } from './settings/settings-service'
import { noUserPresence, type UserPresence } from './settings/user-presence'

export interface AppContextOptions {
  dataDir: string
  secrets: SecretStore
  clipboard: Clipboard
  version: string
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  fetch?: typeof fetch
  now?: () => Date
  /** Opens an https link in the person's browser (already checked). */
  openUrl?: (url: string) => Promise<void>
  /**
   * The embedded sandbox service: 'start' it (the window), 'attach' to the one the app runs on its
   * saved port or start a private one (the command line), or leave it 'off'.
   */
  sandbox?: 'start' | 'attach' | 'off'
  timeoutMs?: number
  /** How to start this program's command line (Claude Code runs it as headersHelper). */
  cliArgv?: string[]
  /** First retry delay for provider requests (tests shorten it). */
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
  /** The account check (Touch ID) asked for before a value is revealed or copied, where the platform has one. */
  presence?: UserPresence
  /** The system folder picker (the shell's dialog); resolves undefined when the person cancels. */
  pickFolder?: () => Promise<string | undefined>
}

/**
 * Everything the window, the command line and the tests share: the stores, the services and the
 * embedded sandbox, wired from the paths and parts passed in. No Electron here.
 */
export async function createAppContext(options: AppContextOptions) {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  const store = await openMetadataStore(options.dataDir, options.now)
  const listeners = new Set<(event: AppEvent) => void>()
  const emit = (event: AppEvent) => listeners.forEach((l) => l(event))

  let sandbox: { url: string; mcpUrl: string; close(): Promise<void> } | undefined
  let sandboxError: string | undefined
  const savedPort = store.read().settings.sandboxPort
  if (options.sandbox === 'attach' && savedPort) {
    const running = await findRunningSandbox(savedPort)
    if (running) sandbox = { ...running, close: async () => {} }
  }
  if (options.sandbox && options.sandbox !== 'off' && !sandbox) {
    try {
      sandbox = await startSandbox({ dataDir: options.dataDir, port: savedPort })
    } catch {
      // The saved port may be taken by now; any free one will do, the configs get repaired by rotation.
      try {
        sandbox = await startSandbox({ dataDir: options.dataDir })
      } catch (second) {
        sandboxError = `The local sandbox could not start: ${(second as Error).message}`
      }
    }
    if (sandbox) {
      const port = Number(new URL(sandbox.url).port)
      if (store.read().settings.sandboxPort !== port) {
        await store.update((d) => {
          d.settings.sandboxPort = port
        })
      }
    }
  }

  const registry = createAdapterRegistry({
    secrets: options.secrets,
    fetch: options.fetch,
    now: options.now,
    sandbox: () => sandbox,
    timeoutMs: options.timeoutMs,
    backoffMs: options.backoffMs,
    sleep: options.sleep
  })
  const adapterFor = registry.adapterFor
  const settings = createSettingsService({
    store,
    presence: options.presence ?? noUserPresence,
    dataDir: options.dataDir,
    platform: options.platform,
    version: options.version,
    emit
  })
  const keys = createKeysService({
    store,
    secrets: options.secrets,
    adapterFor,
    clipboard: options.clipboard,
    now: options.now,
    emit,
    clipboardSeconds: () => settings.preferences().clipboardSeconds,
    confirmPresence: settings.confirmPresence
  })
  const sync = createSyncService({ store, adapterFor, secrets: options.secrets, now: options.now, emit })
  const providers = createProvidersService({
    store,
    secrets: options.secrets,
    adapterFor,
    forgetAdapter: registry.forget,
    now: options.now,
    emit
  })

  const backups = createBackupStore(options.dataDir)
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === options.platform) ?? 'linux'
  const cliArgv = options.cliArgv ?? [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])]
  const bindings = createBindingsService({
    store,
    secrets: options.secrets,
    backups,
    adapterFor,
    paths: { home: options.home, platform, env: options.env },
    helperCommand: (bindingId) =>
      helperCommand({
        argv: cliArgv,
        bindingId,
        dataDir: options.dataDir,
        keychainService: keychainService(options.dataDir, defaultDataDir(options.home, options.platform, options.env)),
        platform
      }),
    now: options.now,
    emit,
    isRotating: (keyId) => rotation.isRotating(keyId)
  })
  const journal = await openJournal(options.dataDir, options.now)
  const rotation = createRotationEngine({
    store,
    secrets: options.secrets,
    journal,
    adapterFor,
    writer: createBindingWriter({ inline: bindings.inlineWriter() }),
    probe: (o) => probeMcp({ ...o, fetch: options.fetch, timeoutMs: options.timeoutMs }),
    now: options.now,
    emit
  })

  const testServer = createServerTest({
    store,
    secrets: options.secrets,
    adapterFor,
    paths: { home: options.home, platform, env: options.env },
    probe: (o) => probeMcp({ ...o, fetch: options.fetch, timeoutMs: options.timeoutMs })
  })

  let keychainStatus: Promise<{ available: boolean; message?: string }> | undefined
  if (sandbox) {
    try {
      await ensureSandboxProvider({ store, secrets: options.secrets, sandboxUrl: sandbox.url, fetch: options.fetch, now: options.now })
    } catch (error) {
      sandboxError = (error as Error).message
    }
  }

  return {
    ...options,
    store,
    keys,
    sync,
    providers,
    settings,
    testServer,
    rotation,
    journal,
    bindings,
    backups,
    secrets: options.secrets,
    adapterFor,
    registry,
    get sandbox() {
      return sandbox
    },
    onEvent(listener: (event: AppEvent) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit,
    async status(): Promise<AppStatus> {
      keychainStatus ??= options.secrets.probe()
      const keychain = await keychainStatus
      if (!keychain.available) keychainStatus = undefined
      return {
        version: options.version,
        keychain,
        sandbox: { running: Boolean(sandbox), url: sandbox?.url, error: sandboxError },
        metadataError: [store.loadError?.message, journal.loadError?.message].filter(Boolean).join(' ') || undefined
      }
    },
    async close() {
      await sandbox?.close()
      listeners.clear()
    }
  }
}

export type AppContext = Awaited<ReturnType<typeof createAppContext>>
