import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import { rotationSchema, type Rotation } from '../../shared/schemas'
import { openSharedFile } from '../vault/shared-file'
import { redact } from '../vault/redaction'
import { describeIssue } from '../../shared/input-errors'
import type { AppEvent } from '../../shared/contract'

const FINISHED: Rotation['state'][] = ['done', 'rolled-back']
const journalFileSchema = z.object({ version: z.literal(1), rotations: z.array(rotationSchema) })

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
      const parsed = journalFileSchema.safeParse(JSON.parse(text))
      if (!parsed.success) throw new Error(`unexpected content: ${describeIssue(parsed.error.issues[0])}`)
      rotations = parsed.data.rotations
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
      const parsed = journalFileSchema.safeParse(JSON.parse(text))
      if (!parsed.success)
        throw new KeywardenError(
          'metadata-corrupt',
          `The rotation journal ${file} was edited elsewhere and cannot be read; Keywarden did not overwrite it.`
        )
      return parsed.data.rotations
    },
    serialize: (list) => `${JSON.stringify({ version: 1, rotations: list }, null, 2)}\n`
  })

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
    /** Every rotation, unfinished ones first, newest first within each. */
    history: (): Rotation[] =>
      [...shared.read()].sort(
        (a, b) => Number(FINISHED.includes(a.state)) - Number(FINISHED.includes(b.state)) || b.startedAt.localeCompare(a.startedAt)
      ),
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

export type Journal = Awaited<ReturnType<typeof openJournal>>
