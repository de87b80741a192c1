import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import { rotationSchema, type Rotation } from '../../shared/schemas'
import { openSharedFile } from '../vault/shared-file'

const journalFileSchema = z.object({ version: z.literal(1), rotations: z.array(rotationSchema) })

/**
 * The rotation journal: one small file beside the vault, rewritten atomically before every step so
 * that a crash at any point leaves a record of exactly where the rotation stood. It never holds a
 * key value: values are in the keychain, referenced by the key ids recorded here.
 */
export async function openJournal(dataDir: string, now: () => Date = () => new Date()) {
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
      if (!parsed.success)
        throw new Error(
          `unexpected content at ${parsed.error.issues[0]?.path.join('.') || 'top level'}: ${parsed.error.issues[0]?.message}`
        )
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
          'Key values in your keychain are untouched; if a rotation was unfinished, check the key list and your tools before rotating that key again.'
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
          `The rotation journal ${file} was changed by another program and cannot be read; Keywarden did not overwrite it.`
        )
      return parsed.data.rotations
    },
    serialize: (list) => `${JSON.stringify({ version: 1, rotations: list }, null, 2)}\n`
  })

  return {
    file,
    /** Set when the file on disk could not be read at start and was moved aside. */
    loadError,
    list: (): Rotation[] => shared.read(),
    get(id: string): Rotation {
      const r = shared.read().find((x) => x.id === id)
      if (!r) throw new KeywardenError('not-found', 'That rotation is not in the journal.')
      return r
    },
    /** Writes the new record to disk before returning: callers act only on what is journaled. */
    save(rotation: Rotation): Promise<Rotation> {
      const next = rotationSchema.parse(rotation)
      return shared.update((list) => {
        const i = list.findIndex((x) => x.id === next.id)
        return { next: i === -1 ? [...list, next] : list.map((x, j) => (j === i ? next : x)), result: next }
      })
    }
  }
}

export type Journal = Awaited<ReturnType<typeof openJournal>>
