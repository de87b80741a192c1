import { appendFileSync, statSync } from 'node:fs'
import { rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import type { ActivityEvent } from '../../shared/activity'
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

/** The log's files, oldest first: the rotated ones, then the one being written. */
export const activityFiles = (dataDir: string) => [
  ...Array.from({ length: KEEP }, (_, i) => join(dataDir, `activity.${KEEP - i}.jsonl`)),
  join(dataDir, ACTIVITY_FILE)
]

/**
 * Appends one event to the activity log in the data folder. Safe for several processes at once
 * (the window, the command line, the headers helper, the bridge): each line is one append of a
 * few hundred bytes, which the OS never interleaves with another; rotation happens under a lock.
 * A line that would hold a key value is refused, never written.
 *
 * No schema library is loaded here: the headers helper and the bridge append on their fast path.
 * Each field is cut to the length the reader accepts (`activityEventSchema`), so every line
 * written reads back.
 */
export async function recordActivity(dataDir: string, input: ActivityInput, options: RecordOptions = {}): Promise<ActivityEvent> {
  const event = lineOf(input, options.now)
  const line = `${JSON.stringify(event)}\n`
  assertNoSecret(line, options.mustNotContain)
  const file = join(dataDir, ACTIVITY_FILE)
  // A stat and an append of a few hundred bytes, synchronously: the helper exits right after, and a
  // busy machine's thread pool would keep the client waiting longer than the write itself.
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0
  if (size >= (options.maxBytes ?? DEFAULT_MAX_BYTES)) await rotate(dataDir, options.maxBytes ?? DEFAULT_MAX_BYTES)
  appendFileSync(file, line, { mode: 0o600 })
  return event
}

const cut = (value: string | undefined, max: number) => (value === undefined ? undefined : value.slice(0, max))

/** The event as it is written: fields in a fixed order, each within the reader's limits. */
function lineOf(input: ActivityInput, now: (() => Date) | undefined): ActivityEvent {
  const fingerprint = input.key?.fingerprint
  return {
    at: input.at ?? (now ?? (() => new Date()))().toISOString(),
    kind: input.kind,
    by: input.by,
    pid: input.pid ?? process.pid,
    key: input.key && {
      id: input.key.id.slice(0, 200),
      name: cut(input.key.name, 200),
      fingerprint: fingerprint && /^[0-9a-f]{16,64}$/.test(fingerprint) ? fingerprint : undefined
    },
    client: cut(input.client, 100),
    server: cut(input.server, 200),
    file: cut(input.file, 4096),
    detail: cut(input.detail, 500),
    ok: input.ok
  }
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

async function rotate(dataDir: string, maxBytes: number): Promise<void> {
  const file = join(dataDir, ACTIVITY_FILE)
  // Loaded only when the log is full: the helper's usual append stays a stat and a write.
  const { lockFile } = await import('../vault/file-lock')
  const release = await lockFile(file)
  try {
    // Another process may have rotated while this one waited for the lock.
    const now = await stat(file).then(
      (s) => s.size,
      () => 0
    )
    if (now < maxBytes) return
    const files = activityFiles(dataDir)
    for (let i = 1; i < files.length; i++) await rename(files[i]!, files[i - 1]!).catch(() => undefined)
  } finally {
    await release().catch(() => undefined)
  }
}
