import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'

export const changeRecordSchema = z.object({
  id: z.string(),
  file: z.string(),
  at: z.string(),
  summary: z.string().max(300),
  /** Whether the file existed before this change (undo then deletes it if it did not). */
  existed: z.boolean(),
  /** Hash of the content Keywarden wrote: undo refuses if the file changed since. */
  writtenHash: z.string(),
  undone: z.boolean().default(false)
})
export type ChangeRecord = z.infer<typeof changeRecordSchema>

const indexSchema = z.object({ version: z.literal(1), changes: z.array(changeRecordSchema) })
const KEEP_PER_FILE = 20

/**
 * Earlier versions of the config files Keywarden changed, so each change can be undone. They may
 * hold keys, so they live only in the app's data folder, owner-only, pruned to the newest few per
 * file — never as stray copies beside the originals.
 */
export function createBackupStore(dataDir: string) {
  const dir = join(dataDir, 'backups')
  const indexFile = join(dir, 'index.json')
  let queue: Promise<unknown> = Promise.resolve()

  async function readIndex(): Promise<ChangeRecord[]> {
    try {
      return indexSchema.parse(JSON.parse(await readFile(indexFile, 'utf8'))).changes
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }
  const writeIndex = (changes: ChangeRecord[]) => writeFileAtomic(indexFile, JSON.stringify({ version: 1, changes }, null, 1), { mode: 0o600 })
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn)
    queue = run.catch(() => undefined)
    return run
  }

  return {
    /** Keeps the bytes a file had before a change; returns the change id. */
    record: (file: string, before: string | null, writtenHash: string, summary: string) =>
      serial(async () => {
        await mkdir(dir, { recursive: true, mode: 0o700 })
        const id = randomUUID()
        if (before !== null) await writeFileAtomic(join(dir, `${id}.bak`), before, { mode: 0o600 })
        const changes = [...(await readIndex()), { id, file, at: new Date().toISOString(), summary, existed: before !== null, writtenHash, undone: false }]
        const forFile = changes.filter((c) => c.file === file)
        const drop = new Set(forFile.slice(0, Math.max(0, forFile.length - KEEP_PER_FILE)).map((c) => c.id))
        for (const old of drop) await rm(join(dir, `${old}.bak`), { force: true })
        await writeIndex(changes.filter((c) => !drop.has(c.id)))
        return id
      }),
    list: async (): Promise<ChangeRecord[]> => (await readIndex()).slice().reverse(),
    get: async (id: string) => (await readIndex()).find((c) => c.id === id),
    content: async (id: string): Promise<string> => readFile(join(dir, `${id}.bak`), 'utf8'),
    markUndone: (id: string) =>
      serial(async () => {
        const changes = await readIndex()
        await writeIndex(changes.map((c) => (c.id === id ? { ...c, undone: true } : c)))
        await rm(join(dir, `${id}.bak`), { force: true })
      })
  }
}

export type BackupStore = ReturnType<typeof createBackupStore>
