import { homedir } from 'node:os'
import { KeywardenError } from '../../shared/errors'
import { createAppContext, type AppContext } from '../app-context'
import { createKeytarStore, keychainService } from '../vault/secret-store'
import { defaultDataDir } from '../vault/data-dir'
import type { Launcher } from '../bridge/runtime/launch-command'

const noClipboard = {
  readText: async () => '',
  writeText: async () => {
    throw new KeywardenError('unsupported', 'The command line has no clipboard; use `keywarden keys create --json` or the app.')
  },
  clear: () => {}
}

/** The context for one command: the app's data folder and keychain, attached to its sandbox. */
export function createCliContext(
  dataDir: string,
  version: string,
  env: Record<string, string | undefined>,
  launcher?: Launcher
): Promise<AppContext> {
  return createAppContext({
    dataDir,
    secrets: createKeytarStore({ service: keychainService(dataDir, defaultDataDir(homedir(), process.platform, env)) }),
    clipboard: noClipboard,
    version,
    home: homedir(),
    platform: process.platform,
    env,
    sandbox: 'attach',
    // Node running the built command line, unless the packaged app says how clients start its runtime.
    ...(launcher ? { launcher } : { cliArgv: [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])] })
  })
}
