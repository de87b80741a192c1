import type { SyncService } from './sync'

/**
 * Syncs at start, on a timer, and when asked (window focus) — but not more often than once a
 * minute, so switching windows does not hammer rate-limited services.
 */
export function startBackgroundSync(
  ctx: { sync: SyncService },
  options: { intervalMs?: number; minGapMs?: number; now?: () => number } = {}
) {
  const now = options.now ?? Date.now
  const minGap = options.minGapMs ?? 60_000
  let last = -Infinity
  let running: Promise<unknown> | undefined
  const run = (force = false) => {
    if (running || (!force && now() - last < minGap)) return
    last = now()
    running = ctx.sync
      .sync()
      .catch(() => undefined)
      .finally(() => (running = undefined))
  }
  run(true)
  const timer = setInterval(() => run(true), options.intervalMs ?? 15 * 60 * 1000)
  timer.unref?.()
  return { poke: () => run(), stop: () => clearInterval(timer) }
}
