import { join, resolve } from 'node:path'
import { openApp, type AppOptions } from '../../src/main/app/open-app'
import { countingStore, createKeytarStore, keychainService } from '../../src/main/vault/secret-store'
import { tempFolder } from './temp-folder'

/** An in-memory clipboard standing in for the system one (the Electron seam). */
export function memoryClipboard() {
  let text = ''
  return {
    readText: async () => text,
    writeText: async (t: string) => {
      text = t
    },
    clear: () => {
      text = ''
    },
    peek: () => text
  }
}

/**
 * A real app in a temporary data folder and home, with its own service name in the private
 * keychain session, and the real sandbox on 127.0.0.1.
 */
export async function testContext(overrides: Partial<AppOptions> = {}) {
  const root = await tempFolder('kw-ctx-')
  const dataDir = join(root, 'data')
  const secrets = countingStore(
    createKeytarStore({ service: keychainService(dataDir, { home: join(root, 'home'), platform: 'linux', env: {} }) })
  )
  const clipboard = memoryClipboard()
  const ctx = await openApp({
    dataDir,
    secrets,
    clipboard,
    version: 'test',
    home: join(root, 'home'),
    platform: 'linux',
    env: {},
    sandbox: 'start',
    sleep: async () => {},
    backoffMs: 5,
    // Claude Code's headersHelper runs the built command line, as the packaged app would run itself.
    cliArgv: [process.execPath, resolve(import.meta.dirname, '../../out/cli/keywarden.cjs')],
    timeoutMs: 5000,
    ...overrides
  })
  // Tests reach the services directly too, not only through the contract: build them all now.
  await ctx.start()
  return { ctx, secrets, clipboard, root }
}
