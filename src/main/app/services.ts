import type { FindingsService } from '../findings/findings-service'
import type { AppStatus } from '../../shared/contract'
import type { DueKey, ImportKeyInput, KeyMeta, Provider, ProviderKindInfo, Recognition } from '../../shared/schemas'
import type { BindingsService } from '../bindings/bindings-service'
import type { KeyRemoval } from '../bindings/key-removal'
import type { KeysService } from '../keys/keys-service'
import type { SyncService } from '../keys/sync'
import type { ProviderAdapter } from '../providers/adapter'
import type { ProvidersService } from '../providers/providers-service'
import type { Journal } from '../rotation/journal'
import type { RotationEngine } from '../rotation/engine'
import type { Vault } from '../vault/vault'
import type { SettingsService } from '../settings/settings-service'
import type { ServerTest } from '../bindings/server-test'

/**
 * What the contract's handlers, the window's background jobs and the test worlds are given: each
 * part named, nothing spread. The first group answers from Keywarden's own files and is ready at
 * once; the second talks to services and client files, and is built on first need (`start`).
 */
export interface Services {
  readonly vault: Vault
  readonly journal: Journal
  status(): Promise<AppStatus>
  openExternal(url: string): Promise<void>
  /** Keys due for rotation now. */
  dueKeys(): DueKey[]
  /** The built-in kinds of service, as the window shows them. */
  catalog(): ProviderKindInfo[]
  recognise(value: string): Recognition
  /** The Settings page's choices and the facts it shows; the account check before a value leaves the keychain. */
  readonly settings: SettingsService
  /** The system folder picker, where the shell has one. */
  pickFolder(): Promise<string | undefined>

  readonly keys: KeysService
  readonly sync: SyncService
  readonly providers: ProvidersService
  readonly bindings: BindingsService
  /** "Remove from vault", with the clients' entries when asked, and its undo. */
  readonly keyRemoval: KeyRemoval
  readonly rotation: RotationEngine
  /** The leak scan, "secure it", the activity log and the drift check. */
  readonly findings: FindingsService
  /** Connects to a configured MCP server as its client would. */
  testServer: ServerTest
  importKey(input: ImportKeyInput): Promise<{ key: KeyMeta; warnings: string[] }>
  /** The adapter for a connected provider (tests and benchmarks reach a service through it). */
  adapterFor(provider: Provider): ProviderAdapter
  /** The embedded sandbox while it runs. */
  readonly sandbox?: { url: string; mcpUrl: string; close(): Promise<void> }
}

/** The part of `Services` built on first need. */
export type StartedServices = Pick<
  Services,
  | 'keys'
  | 'sync'
  | 'providers'
  | 'bindings'
  | 'keyRemoval'
  | 'rotation'
  | 'findings'
  | 'testServer'
  | 'importKey'
  | 'adapterFor'
  | 'sandbox'
> & { close(): Promise<void>; sandboxError?: string; sandboxLasting?: boolean }
