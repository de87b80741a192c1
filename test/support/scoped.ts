import { afterEach } from 'vitest'
import { testContext } from './context'
import { startFaultServer } from './fault-server'

/**
 * What a test file starts (app contexts, fault servers, anything with a close) is closed after
 * each test. Call once at the top of a test file.
 */
export function scoped(defaults: { timeoutMs?: number; sandbox?: 'start' | 'off' } = {}) {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c()
  })
  return {
    defer: (close: () => Promise<void>) => void cleanup.push(close),
    /** A real app context (temporary data folder and home, private keychain entries). */
    async ctx(sandbox: 'start' | 'off' = defaults.sandbox ?? 'off') {
      const c = await testContext({ timeoutMs: defaults.timeoutMs ?? 500, sandbox })
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
