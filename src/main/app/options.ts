import type { Launcher } from '../bridge/runtime/launch-command'
import type { Clipboard } from '../keys/keys-service'
import type { SecretStore } from '../vault/secret-store'
import type { UserPresence } from '../settings/user-presence'

/** What the window, the command line and the tests give the app: paths, parts and the clock. */
export interface AppOptions {
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
  /** The account check (Touch ID) asked for before a value is revealed or copied, where the platform has one. */
  presence?: UserPresence
  /** The system folder picker (the shell's dialog); resolves undefined when the person cancels. */
  pickFolder?: () => Promise<string | undefined>
  /** Who acts, as the activity log names it: the window (default) or the command line. */
  actor?: 'window' | 'cli'
  timeoutMs?: number
  /** How to start this program's command line (Claude Code runs it as headersHelper). */
  cliArgv?: string[]
  /** How clients start the helper and the bridge (the packaged app's runtime); from cliArgv when absent. */
  launcher?: Launcher
  /** First retry delay for provider requests (tests shorten it). */
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
}
