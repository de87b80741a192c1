import { homedir } from 'node:os'
import { KeywardenError } from '../../shared/errors'
import { openApp, type App } from '../app/open-app'
import { openVaultKeychain } from '../vault/secret-store'
import type { Launcher } from '../bridge/runtime/launch-command'

const noClipboard = {
  readText: async () => '',
  writeText: async () => {
    throw new KeywardenError(
      'unsupported',
      'The command line has no clipboard; the app copies keys (`keywarden keys create --print-value` prints a new key).'
    )
  },
  clear: () => {}
}

/**
 * The app for one command: the app's data folder and keychain. Nothing but the vault and the
 * journal is opened until a command needs more; then it attaches to the app's sandbox (or starts
 * a private one).
 */
export function openCliApp(dataDir: string, version: string, env: Record<string, string | undefined>, launcher?: Launcher): Promise<App> {
  return openApp({
    dataDir,
    secrets: openVaultKeychain(dataDir, { home: homedir(), platform: process.platform, env }),
    clipboard: noClipboard,
    version,
    home: homedir(),
    platform: process.platform,
    env,
    sandbox: 'attach',
    actor: 'cli',
    // Node running the built command line, unless the packaged app says how clients start its runtime.
    ...(launcher ? { launcher } : { cliArgv: [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])] })
  })
}
