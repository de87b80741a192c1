import { afterEach } from 'vitest'
import { testContext } from './context'
import { memorySecretStore } from './memory-secrets'
import { startFaultServer } from './fault-server'

/**
 * What a test file starts (app contexts, fault servers, anything with a close) is closed after
 * each test. Call once at the top of a test file.
 */
export function scoped(defaults: { timeoutMs?: number; sandbox?: 'start' | 'off'; secrets?: 'keychain' | 'memory' } = {}) {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c()
  })
  return {
    defer: (close: () => Promise<void>) => void cleanup.push(close),
    /**
     * A real app (temporary data folder and home) with private keychain entries, or an in-memory
     * keychain for files whose tests are not about the keychain (`secrets: 'memory'`). A test that
     * is not about timeouts but signs in (password hashing is slow on a loaded machine) gives
     * itself a longer one.
     */
    async ctx(sandbox: 'start' | 'off' = defaults.sandbox ?? 'off', options: { timeoutMs?: number } = {}) {
      const secrets = defaults.secrets === 'memory' ? { secrets: memorySecretStore() } : {}
      const c = await testContext({ timeoutMs: options.timeoutMs ?? defaults.timeoutMs ?? 500, sandbox, ...secrets })
      cleanup.push(() => c.ctx.close())
      return c.ctx
    },
    /** A server on 127.0.0.1 answering with the given canned responses. */
    async fake(...responses: Parameters<typeof startFaultServer>[0]) {
      const s = await startFaultServer(responses)
      cleanup.push(s.close)
      return s
    }
  }
}
