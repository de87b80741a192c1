import { randomUUID } from 'node:crypto'
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'
import { changeRecordSchema as changeSummarySchema } from '../../../shared/mcp-clients'

/** A change as the index keeps it: what the window lists (the shared schema), and what undo needs. */
export const changeRecordSchema = changeSummarySchema.extend({
  /** Whether the file existed before this change (undo then deletes it if it did not). */
  existed: z.boolean(),
  /** Records from before undo worked entry by entry: the hash of the whole file written. */
  writtenHash: z.string().optional()
})
export type ChangeRecord = z.infer<typeof changeRecordSchema>

/** One value Keywarden changed: absent `before`/`after` mean the entry was not there. */
export const undoStepSchema = z.object({
  path: z.array(z.string()),
  /** A VS Code `inputs` entry, found by id. */
  inputId: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional()
})
export type UndoStep = z.infer<typeof undoStepSchema>

const undoSchema = z.object({
  label: z.string(),
  steps: z.array(undoStepSchema),
  /** The whole text written when Keywarden created the file, so undo can delete it. */
  createdText: z.string().optional()
})
export type UndoData = z.infer<typeof undoSchema>

const indexSchema = z.object({ version: z.literal(1), changes: z.array(changeRecordSchema) })
const KEEP_PER_FILE = 20

/**
 * What undoes each change Keywarden made to a config file: the entries it changed (undo reverses
 * just those on whatever the file holds by then) and, as a safety net, the file's earlier bytes.
 * Both may hold keys, so they live only in the app's data folder, owner-only, pruned to the newest
 * few per file — never as stray copies beside the originals.
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
  const writeIndex = (changes: ChangeRecord[]) =>
    writeFileAtomic(indexFile, JSON.stringify({ version: 1, changes }, null, 1), { mode: 0o600, fsync: false })
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn)
    queue = run.catch(() => undefined)
    return run
  }
  const files = (id: string) => [join(dir, `${id}.bak`), join(dir, `${id}.undo.json`)]

  return {
    /**
     * Records a change before its file is written, so a failure after the write still leaves an
     * undo; `discard` takes it back when the write did not happen. Returns the change id.
     * `copyFrom`: the file whose bytes are `before`, copied instead of written.
     */
    record: (file: string, before: string | null, undo: UndoData, summary: string, copyFrom?: string) =>
      serial(async () => {
        await mkdir(dir, { recursive: true, mode: 0o700 })
        const id = randomUUID()
        const [bak, undoFile] = files(id)
        // New files under random names in an owner-only folder: no temp-and-rename needed.
        // The file as it is on disk (already checked to be `before`) is copied by the kernel: cheaper
        // than writing a large ~/.claude.json out again. Both files are written side by side.
        const copy = async () => {
          if (before === null) return
          if (!copyFrom) return writeFile(bak!, before, { mode: 0o600, flag: 'wx' })
          await copyFile(copyFrom, bak!, 1 /* COPYFILE_EXCL */)
          await chmod(bak!, 0o600)
        }
        await Promise.all([copy(), writeFile(undoFile!, JSON.stringify(undo), { mode: 0o600, flag: 'wx' })])
        const changes = [
          ...(await readIndex()),
          { id, file, at: new Date().toISOString(), summary, existed: before !== null, undone: false }
        ]
        const forFile = changes.filter((c) => c.file === file)
        const drop = new Set(forFile.slice(0, Math.max(0, forFile.length - KEEP_PER_FILE)).map((c) => c.id))
        for (const old of drop) for (const f of files(old)) await rm(f, { force: true })
        await writeIndex(changes.filter((c) => !drop.has(c.id)))
        return id
      }),
    discard: (id: string) =>
      serial(async () => {
        await writeIndex((await readIndex()).filter((c) => c.id !== id))
        for (const f of files(id)) await rm(f, { force: true })
      }),
    list: async (): Promise<ChangeRecord[]> => (await readIndex()).slice().reverse(),
    get: async (id: string) => (await readIndex()).find((c) => c.id === id),
    content: async (id: string): Promise<string> => readFile(files(id)[0]!, 'utf8'),
    undoData: async (id: string): Promise<UndoData | undefined> => {
      try {
        return undoSchema.parse(JSON.parse(await readFile(files(id)[1]!, 'utf8')))
      } catch {
        return undefined
      }
    },
    markUndone: (id: string) =>
      serial(async () => {
        const changes = await readIndex()
        await writeIndex(changes.map((c) => (c.id === id ? { ...c, undone: true } : c)))
        for (const f of files(id)) await rm(f, { force: true })
      })
  }
}

export type BackupStore = ReturnType<typeof createBackupStore>
