import type { SyncService } from './sync'

/** Syncs at start and then on a timer; failures are recorded per provider by the sync itself. */
export function startBackgroundSync(ctx: { sync: SyncService }, intervalMs = 15 * 60 * 1000): () => void {
  const run = () => void ctx.sync.sync().catch(() => undefined)
  run()
  const timer = setInterval(run, intervalMs)
  timer.unref?.()
  return () => clearInterval(timer)
}
