/** A fixed-window counter per credential: enough to make clients meet 429 + Retry-After. */
export function createRateLimiter(options: { requestsPerWindow: number; windowMs: number; now: () => number }) {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    /** Returns the seconds to wait when over the limit, or 0 when the request may go ahead. */
    hit(credential: string): number {
      const at = options.now()
      let w = windows.get(credential)
      if (!w || at - w.start >= options.windowMs) {
        w = { start: at, count: 0 }
        windows.set(credential, w)
        if (windows.size > 10_000) windows.clear()
      }
      w.count++
      if (w.count <= options.requestsPerWindow) return 0
      return Math.max(1, Math.ceil((w.start + options.windowMs - at) / 1000))
    }
  }
}
