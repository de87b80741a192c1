import { readFile } from 'node:fs/promises'
import { activityEventSchema, type ActivityEvent, type ActivityFilter } from '../../shared/activity'
import { activityFiles } from './activity-log'

/** Reads the log (rotated files included), newest first, filtered; lines that do not parse are counted, not shown. */
export async function readActivity(dataDir: string, filter: ActivityFilter = {}): Promise<{ events: ActivityEvent[]; unreadable: number }> {
  const events: ActivityEvent[] = []
  let unreadable = 0
  const since = filter.since ? new Date(filter.since).toISOString() : undefined
  for (const file of activityFiles(dataDir)) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const line of text.split('\n')) {
      if (!line) continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        unreadable++
        continue
      }
      const result = activityEventSchema.safeParse(parsed)
      if (!result.success) {
        unreadable++
        continue
      }
      const e = result.data
      if (filter.kind && e.kind !== filter.kind) continue
      if (filter.keyId && e.key?.id !== filter.keyId) continue
      if (filter.client && e.client !== filter.client) continue
      if (since && new Date(e.at).toISOString() < since) continue
      events.push(e)
    }
  }
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  return { events: events.slice(0, filter.limit ?? 500), unreadable }
}
