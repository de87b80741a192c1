/**
 * A fixed-window counter per credential: enough to make clients meet 429 + Retry-After. Windows that
 * have run out are dropped; when many credentials are live at once (a flood of made-up ones), the
 * newcomers share one window rather than pushing anyone's out, so no request can reset a count.
 */
export function createRateLimiter(options: { requestsPerWindow: number; windowMs: number; now: () => number; maxTracked?: number }) {
  const windows = new Map<string, { start: number; count: number }>()
  const maxTracked = options.maxTracked ?? 10_000
  const OVERFLOW = '\u0000overflow'

  function prune(at: number): void {
    for (const [credential, w] of windows) if (at - w.start >= options.windowMs) windows.delete(credential)
  }

  return {
    /** Returns the seconds to wait when over the limit, or 0 when the request may go ahead. */
    hit(credential: string): number {
      const at = options.now()
      let key = credential
      let w = windows.get(key)
      if (w && at - w.start >= options.windowMs) w = undefined
      if (!w) {
        if (windows.size >= maxTracked) prune(at)
        if (windows.size >= maxTracked) {
          key = OVERFLOW
          w = windows.get(key)
          if (w && at - w.start >= options.windowMs) w = undefined
        }
        if (!w) {
          w = { start: at, count: 0 }
          windows.set(key, w)
        }
      }
      w.count++
      if (w.count <= options.requestsPerWindow) return 0
      return Math.max(1, Math.ceil((w.start + options.windowMs - at) / 1000))
    }
  }
}
