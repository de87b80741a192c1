import type { RotationProgress } from '../../shared/contract'
import type { SettingsService } from '../settings/settings-service'
import { createServerTest } from '../bindings/server-test'
import { createKeyRemoval } from '../bindings/key-removal'
import { createKeysService } from '../keys/keys-service'
import { createSyncService } from '../keys/sync'
import { importKey } from '../keys/import'
import { createAdapterRegistry } from '../providers/registry'
import { createProvidersService } from '../providers/providers-service'
import { probeMcp, type ProbeResult } from '../providers/mcp-probe'
import type { Binding } from '../../shared/schemas'
import { createRotationEngine } from '../rotation/engine'
import { createBindingWriter } from '../bindings/writer'
import { createBindingsService } from '../bindings/bindings-service'
import { shellCommand } from '../bindings/helper-command'
import { bindingCommand, developmentNote, launcherFromArgv } from '../bridge/runtime/launch-command'
import { defaultDataDir } from '../vault/data-dir'
import { clientEnvironment, probeThroughBridge } from '../bridge/bridge-probe'
import { probeThroughHelper } from '../bridge/helper-probe'
import { createBackupStore } from '../mcp-config/files/backups'
import { keychainService } from '../vault/secret-store'
import type { Journal } from '../rotation/journal'
import type { Vault } from '../vault/vault'
import { createFindingsService } from '../findings/findings-service'
import { linkSandbox } from './sandbox-link'
import { activityRecorder } from '../activity/recorder'
import type { AppOptions } from './options'
import type { StartedServices } from './services'

/**
 * The services that talk to providers and client files, wired from the vault, the journal and
 * the options; the embedded sandbox is started or found here too.
 */
export async function startServices(
  options: AppOptions,
  vault: Vault,
  journal: Journal,
  /** Receives the engine, so the vault can ask it which keys a rotation holds. */
  onEngine: (engine: { isRotating(keyId: string): boolean }) => void,
  /** The settings a copy or reveal follows (clipboard time, the account check). */
  settings: SettingsService,
  /** Passes a rotation's progress on to the window. */
  emit: (event: RotationProgress) => void
): Promise<StartedServices> {
  const link = await linkSandbox(vault, options)
  const registry = createAdapterRegistry({
    secrets: options.secrets,
    fingerprints: () => vault.keys.fingerprints(),
    fetch: options.fetch,
    now: options.now,
    sandbox: () => link.running,
    timeoutMs: options.timeoutMs,
    backoffMs: options.backoffMs,
    sleep: options.sleep
  })
  const { adapterFor } = registry
  const { secrets, now } = options
  const importer = (input: Parameters<typeof importKey>[0]) => importKey(input, { vault, secrets, adapterFor, now })
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === options.platform) ?? 'linux'
  const given = options.launcher ?? (options.cliArgv ? launcherFromArgv(options.cliArgv) : undefined)
  const launcher = given ?? launcherFromArgv([process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])])
  // The vault is spelled out, so the helper and the bridge find it whatever environment a client has.
  const where = {
    dataDir: options.dataDir,
    keychainService: keychainService(options.dataDir, { home: options.home, platform: options.platform, env: options.env })
  }
  const bridgeCommand = (bindingId: string) => bindingCommand(launcher, 'mcp-bridge', bindingId, where)
  const backups = createBackupStore(options.dataDir, options.secrets)
  // A backup whose only keys are revoked could only put a dead key back: it goes once the key is revoked.
  const pruneBackups = async () => {
    const revoked = new Set(vault.keys.list().flatMap((k) => (k.status === 'revoked' && k.fingerprint ? [k.fingerprint] : [])))
    if (revoked.size) await backups.pruneRevoked({ has: (f) => !revoked.has(f) }).catch(() => [])
  }
  const activity = activityRecorder(options.dataDir, options.actor ?? 'window')
  const bindings = createBindingsService({
    vault,
    secrets,
    backups,
    adapterFor,
    paths: { home: options.home, platform, env: options.env },
    helperCommand: (bindingId) => shellCommand(bindingCommand(launcher, 'mcp-headers', bindingId, where), platform),
    bridgeCommand,
    commandNote: developmentNote(launcher),
    importKey: async (value, name) => (await importer({ value, name })).key,
    sandbox: () => (link.running ? { url: link.running.url, lasting: link.lasting } : undefined),
    sandboxCommand:
      options.dataDir === defaultDataDir(options.home, platform, { ...options.env, KEYWARDEN_DATA_DIR: undefined })
        ? 'keywarden sandbox'
        : `keywarden sandbox --data-dir ${JSON.stringify(options.dataDir)}`,
    now,
    activity
  })
  // Only a launcher the caller vouched for is run: a guessed one (a test runner's argv) is not.
  const probeWritten = given
    ? async (binding: Binding, serviceName: string): Promise<ProbeResult> => {
        // Each entry is checked by running what its client runs: the command written in its file.
        if (binding.placement === 'helper') {
          const line = await bindings.writtenHelper(binding).catch(() => undefined)
          if (line)
            return probeThroughHelper({
              line,
              url: binding.url,
              serviceName,
              platform,
              env: { ...clientEnvironment(process.env), KEYWARDEN_ASKED_BY: 'keywarden' },
              probe: (o) => probeMcp({ ...o, fetch: options.fetch, timeoutMs: options.timeoutMs })
            })
        }
        const written = binding.placement === 'bridge' ? await bindings.writtenCommand(binding).catch(() => undefined) : undefined
        if (!written)
          return {
            valid: false,
            outcome: 'unreachable' as const,
            message: `its entry "${binding.serverName}" in ${binding.file} no longer runs Keywarden. Repair it from Tools (or remove it) and try again.`
          }
        return probeThroughBridge({ command: written, serviceName, timeoutMs: Math.max(options.timeoutMs ?? 0, 15_000) })
      }
    : undefined
  const rotation = createRotationEngine({
    vault,
    secrets,
    journal,
    adapterFor,
    writer: createBindingWriter({ inline: bindings.inlineWriter() }),
    probe: (o) => probeMcp({ ...o, fetch: options.fetch, timeoutMs: options.timeoutMs }),
    onProgress: emit,
    onRetired: pruneBackups,
    probeBridge: probeWritten,
    now,
    activity
  })
  onEngine(rotation)
  const findings = createFindingsService(
    {
      dataDir: options.dataDir,
      home: options.home,
      platform: options.platform,
      env: options.env,
      vault,
      secrets,
      adapterFor,
      importKey: importer,
      specFor: bindings.specFor,
      specForNew: bindings.specForNew,
      backups,
      now
    },
    options.actor ?? 'window'
  )
  return {
    findings,
    keys: createKeysService({
      vault,
      secrets,
      adapterFor,
      clipboard: options.clipboard,
      now,
      clipboardSeconds: () => settings.preferences().clipboardSeconds,
      confirmPresence: settings.confirmPresence,
      onRetired: pruneBackups,
      activity
    }),
    sync: createSyncService({ vault, adapterFor, secrets, now }),
    providers: createProvidersService({ vault, secrets, adapterFor, forgetAdapter: registry.forget, now }),
    bindings,
    keyRemoval: createKeyRemoval({ vault, secrets, bindings }),
    rotation,
    testServer: createServerTest({
      vault,
      secrets,
      adapterFor,
      paths: { home: options.home, platform, env: options.env },
      probe: (o) => probeMcp({ ...o, fetch: options.fetch, timeoutMs: options.timeoutMs }),
      probeBridge: probeWritten && ((bindingId, serviceName) => probeWritten(vault.bindings.get(bindingId), serviceName))
    }),
    importKey: importer,
    adapterFor,
    get sandbox() {
      return link.running
    },
    sandboxError: link.error,
    sandboxLasting: link.running ? link.lasting : undefined,
    close: async () => {
      await link.running?.close()
    }
  }
}
