import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import { rotationSchema, type Rotation } from '../../shared/schemas'
import { openSharedFile } from '../vault/shared-file'
import { sealJson, unsealJson } from '../vault/sealed-json'
import { lazySchema } from '../../shared/lazy-schema'
import { redact } from '../vault/redaction'
import { describeIssue } from '../../shared/input-errors'
import type { AppEvent } from '../../shared/contract'

const FINISHED: Rotation['state'][] = ['done', 'rolled-back']
const journalFileSchema = lazySchema(() => z.object({ version: z.literal(1), rotations: z.array(rotationSchema) }))
/**
 * Names the schema a seal of the journal vouches for (see sealed-json.ts). Change it with any change
 * to `rotationSchema`; a test (test/main/rotation/journal.test.ts) fails when the schema changes and
 * this does not.
 */
export const JOURNAL_SCHEMA_REVISION = 'journal-1'

/**
 * The journal's rotations: as written when Keywarden sealed the file, otherwise checked field by
 * field. Throws a sentence on anything else.
 */
function readJournal(text: string): Rotation[] {
  const sealed = unsealJson(text, JOURNAL_SCHEMA_REVISION) as { rotations: Rotation[] } | undefined
  if (sealed) return sealed.rotations
  const parsed = journalFileSchema.safeParse(JSON.parse(text))
  if (!parsed.success) throw new Error(`unexpected content: ${describeIssue(parsed.error.issues[0])}`)
  return parsed.data.rotations
}

/**
 * The rotation journal: one small file beside the vault, rewritten atomically before every step so
 * that a crash at any point leaves a record of exactly where the rotation stood. It never holds a
 * key value: values are in the keychain, referenced by the key ids recorded here.
 */
export async function openJournal(
  dataDir: string,
  now: () => Date = () => new Date(),
  /** Fingerprints of the vault's keys: no key value reaches the journal, whatever a service echoed. */
  fingerprints: () => ReadonlySet<string> = () => new Set()
) {
  const file = join(dataDir, 'rotations.json')
  let rotations: Rotation[] = []
  let loadError: KeywardenError | undefined
  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (text !== undefined) {
    try {
      rotations = readJournal(text)
    } catch (error) {
      text = undefined
      // Never overwrite it (it may describe a rotation half done), and never refuse to start:
      // move it aside and say where it went, as the key list does with vault.json.
      const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`
      await rename(file, aside)
      loadError = new KeywardenError(
        'metadata-corrupt',
        `The rotation journal (${file}) could not be read: ${(error as Error).message}. It was moved to ${aside}. ` +
          'Key values in your keychain are untouched; if a rotation was unfinished, check the key list and your clients before rotating that key again.'
      )
    }
  }
  const shared = openSharedFile<Rotation[]>({
    file,
    initial: rotations,
    initialText: text,
    parse: (text) => {
      try {
        return readJournal(text)
      } catch {
        throw new KeywardenError(
          'metadata-corrupt',
          `The rotation journal ${file} was edited elsewhere and cannot be read; Keywarden did not overwrite it.`
        )
      }
    },
    // Every record was checked by `save` before it got here.
    serialize: (list) => sealJson({ version: 1, rotations: list }, JOURNAL_SCHEMA_REVISION)
  })

  let sorted: { from: Rotation[]; history: Rotation[] } | undefined
  const listeners = new Set<(event: AppEvent) => void>()
  const mask = (text: string | undefined) => (text === undefined ? undefined : redact(text, { fingerprints: fingerprints() }))
  /** Every text a rotation keeps for the person, masked as it is written. */
  const masked = (r: Rotation): Rotation => ({
    ...r,
    error: mask(r.error),
    rollback: r.rollback && { ...r.rollback, reason: mask(r.rollback.reason)! },
    bindings: r.bindings.map((e) => ({ ...e, message: mask(e.message) })),
    history: r.history.map((h) => ({ ...h, note: mask(h.note) }))
  })

  return {
    file,
    /** Listens for journaled changes; returns the unsubscribe function. */
    onChange(listener: (event: AppEvent) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    /** Set when the file on disk could not be read at start and was moved aside. */
    loadError,
    list: (): Rotation[] => shared.read(),
    /**
     * Every rotation, unfinished ones first, newest first within each: the same array until the
     * journal changes (like the vault's lists, callers do not change it), so the contract can tell
     * it holds only records already checked.
     */
    history(): Rotation[] {
      const list = shared.read()
      if (sorted?.from !== list) sorted = { from: list, history: [...list].sort(newestUnfinishedFirst) }
      return sorted.history
    },
    /** Whether an unfinished rotation holds this key, as its old key or its new one. */
    holds: (keyId: string): boolean =>
      shared.read().some((r) => !FINISHED.includes(r.state) && (r.keyId === keyId || r.newKeyId === keyId)),
    get(id: string): Rotation {
      const r = shared.read().find((x) => x.id === id)
      if (!r) throw new KeywardenError('not-found', 'That rotation is not in the journal.')
      return r
    },
    /** Writes the new record to disk before returning: callers act only on what is journaled. */
    async save(rotation: Rotation): Promise<Rotation> {
      const next = rotationSchema.parse(masked(rotation))
      const saved = await shared.update((list) => {
        const i = list.findIndex((x) => x.id === next.id)
        return { next: i === -1 ? [...list, next] : list.map((x, j) => (j === i ? next : x)), result: next }
      })
      for (const listener of listeners) listener({ type: 'rotations.changed' })
      return saved
    }
  }
}

// Timestamps are ISO-8601 in UTC: their order is the order of their characters (no locale involved).
const newestUnfinishedFirst = (a: Rotation, b: Rotation) =>
  Number(FINISHED.includes(a.state)) - Number(FINISHED.includes(b.state)) ||
  (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0)

export type Journal = Awaited<ReturnType<typeof openJournal>>
