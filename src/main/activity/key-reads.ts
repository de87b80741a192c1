import type { KeyMeta } from '../../shared/schemas'
import { recordActivity } from './activity-log'
import { activityEvents } from './events'
import { askingClient } from './parent-process'

/** A key the headers helper or the bridge has just read from the keychain (bridge/bound-key.ts `BoundKey`). */
interface ReadKey {
  bindingId: string
  serverName: string
  key: Pick<KeyMeta, 'id' | 'name' | 'fingerprint'>
  header: { value: string }
  secret: string
}

/**
 * The log of a helper's or a bridge's keychain reads: which client asked (the parent process,
 * looked up once), which server, which key by name and fingerprint. Appending is a stat and one
 * write, with no schema library and no services; a read is never held up or failed by it.
 */
export function keyReadLog(
  dataDir: string,
  by: 'helper' | 'bridge',
  options: { env?: Record<string, string | undefined>; client?: () => Promise<string> } = {}
) {
  let client: Promise<string> | undefined
  const pending = new Set<Promise<void>>()
  return {
    /** Records one read; resolves once the line is written (or could not be). */
    record(read: ReadKey): Promise<void> {
      client ??= (options.client ?? (() => askingClient(process.ppid, undefined, options.env)))().catch(() => 'unknown')
      const done = client
        .then((asker) =>
          recordActivity(dataDir, activityEvents.keyRead({ id: read.bindingId, serverName: read.serverName }, read.key, asker, by), {
            // The value just read, and the header made of it, must never reach the line.
            mustNotContain: [read.secret, read.header.value]
          })
        )
        .then(
          () => undefined,
          () => undefined
        )
      pending.add(done)
      void done.then(() => pending.delete(done))
      return done
    },
    /** Resolves when every read recorded so far is written (a bridge waits for it before it exits). */
    settled: async (): Promise<void> => void (await Promise.all([...pending]))
  }
}
