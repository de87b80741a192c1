import { appendFile, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { lockFile } from '../vault/file-lock'
import { KeywardenError } from '../../shared/errors'
import { activityEventSchema, type ActivityEvent, type ActivityFilter } from '../../shared/activity'
import { KEY_SHAPES, shapeOf } from '../findings/key-shapes'

export const ACTIVITY_FILE = 'activity.jsonl'
/** Past this size the log is rotated: activity.jsonl → activity.1.jsonl → … → activity.3.jsonl. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024
const KEEP = 3

export type ActivityInput = Omit<ActivityEvent, 'at' | 'pid'> & { at?: string; pid?: number }

export interface RecordOptions {
  maxBytes?: number
  now?: () => Date
  /** Values the line must not contain (the caller's own key, just read): checked before writing. */
  mustNotContain?: string[]
}

const filesOldestFirst = (dataDir: string) => [
  ...Array.from({ length: KEEP }, (_, i) => join(dataDir, `activity.${KEEP - i}.jsonl`)),
  join(dataDir, ACTIVITY_FILE)
]

/**
 * Appends one event to the activity log in the data folder. Safe for several processes at once
 * (the window, the command line, the headers helper, the bridge): each line is one append of a
 * few hundred bytes, which the OS never interleaves with another; rotation happens under a lock.
 * A line that would hold a key value is refused, never written.
 */
export async function recordActivity(dataDir: string, input: ActivityInput, options: RecordOptions = {}): Promise<ActivityEvent> {
  const event = activityEventSchema.parse({
    ...input,
    at: input.at ?? (options.now ?? (() => new Date()))().toISOString(),
    pid: input.pid ?? process.pid
  })
  const line = `${JSON.stringify(event)}\n`
  assertNoSecret(line, options.mustNotContain)
  const file = join(dataDir, ACTIVITY_FILE)
  await rotateIfLarge(dataDir, options.maxBytes ?? DEFAULT_MAX_BYTES)
  await appendFile(file, line, { mode: 0o600 })
  return event
}

/** Throws when a line holds something shaped like a key, or one of the given values. */
export function assertNoSecret(line: string, values: string[] = []): void {
  for (const value of values) {
    if (value.length >= 8 && line.includes(value))
      throw new KeywardenError('internal', 'Keywarden refused to write a key value into its activity log.')
  }
  const prefixes = KEY_SHAPES.map((s) => s.prefix)
  for (const token of line.match(/[A-Za-z0-9_-]{16,}/g) ?? []) {
    for (const p of prefixes) {
      const at = token.indexOf(p)
      if (at !== -1 && shapeOf(token.slice(at)))
        throw new KeywardenError('internal', `Keywarden refused to write a key value (${p}…) into its activity log.`)
    }
  }
}

async function rotateIfLarge(dataDir: string, maxBytes: number): Promise<void> {
  const file = join(dataDir, ACTIVITY_FILE)
  const size = await stat(file).then(
    (s) => s.size,
    () => 0
  )
  if (size < maxBytes) return
  const release = await lockFile(file)
  try {
    // Another process may have rotated while this one waited for the lock.
    const now = await stat(file).then(
      (s) => s.size,
      () => 0
    )
    if (now < maxBytes) return
    const files = filesOldestFirst(dataDir)
    for (let i = 1; i < files.length; i++) await rename(files[i]!, files[i - 1]!).catch(() => undefined)
  } finally {
    await release().catch(() => undefined)
  }
}

/** Reads the log (rotated files included), newest first, filtered; lines that do not parse are counted, not shown. */
export async function readActivity(dataDir: string, filter: ActivityFilter = {}): Promise<{ events: ActivityEvent[]; unreadable: number }> {
  const events: ActivityEvent[] = []
  let unreadable = 0
  const since = filter.since ? new Date(filter.since).toISOString() : undefined
  for (const file of filesOldestFirst(dataDir)) {
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
