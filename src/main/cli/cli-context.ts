import { homedir } from 'node:os'
import { KeywardenError } from '../../shared/errors'
import { createAppContext, type AppContext } from '../app-context'
import { openVaultKeychain } from '../vault/secret-store'

const noClipboard = {
  readText: async () => '',
  writeText: async () => {
    throw new KeywardenError('unsupported', 'The command line has no clipboard; use `keywarden keys create --json` or the app.')
  },
  clear: () => {}
}

/** The context for one command: the app's data folder and keychain, attached to its sandbox. */
export function createCliContext(dataDir: string, version: string, env: Record<string, string | undefined>): Promise<AppContext> {
  return createAppContext({
    dataDir,
    secrets: openVaultKeychain(dataDir, { home: homedir(), platform: process.platform, env }),
    clipboard: noClipboard,
    version,
    home: homedir(),
    platform: process.platform,
    env,
    sandbox: 'attach'
  })
}
