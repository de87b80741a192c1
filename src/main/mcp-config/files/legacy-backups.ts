import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { changeRecordSchema, undoSchema, type ChangeRecord, type UndoData } from './backup-file'

/**
 * Older versions kept each backup in the clear: `<id>.bak` (the earlier file) and `<id>.undo.json`.
 * They are sealed into the current format once, then the plaintext copies are deleted; a pair
 * that no longer reads is deleted too, since it may hold a key in the clear.
 */
export async function migrateLegacyBackups(
  dir: string,
  seal: (record: ChangeRecord, payload: { undo: UndoData; before: Buffer | null } | undefined) => Promise<void>
): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  const legacy = names.filter((n) => n.endsWith('.bak') || n.endsWith('.undo.json'))
  if (legacy.length === 0) return
  const records = new Map<string, ChangeRecord>()
  try {
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { version?: unknown; changes?: unknown[] }
    if (index.version === 1)
      for (const raw of index.changes ?? []) {
        const parsed = changeRecordSchema.safeParse(raw)
        if (parsed.success) records.set(parsed.data.id, parsed.data)
      }
  } catch {
    // No readable index: the pairs cannot be tied to their files, so they are only deleted.
  }
  const ids = new Set(legacy.map((n) => n.replace(/\.(bak|undo\.json)$/, '')))
  for (const id of ids) {
    const record = records.get(id)
    const before = await readFile(join(dir, `${id}.bak`)).catch(() => null)
    const undoText = await readFile(join(dir, `${id}.undo.json`), 'utf8').catch(() => undefined)
    const undo = undoText === undefined ? undefined : undoSchema.safeParse(safeJson(undoText))
    if (record && /^[\w-]{1,100}$/.test(id)) {
      // A whole-file change has no undo data; it is kept as a change with one step-free undo.
      await seal(
        { ...record, undone: record.undone },
        undo?.success ? { undo: undo.data, before } : before ? { undo: { label: 'The config file', steps: [] }, before } : undefined
      )
    }
    await rm(join(dir, `${id}.bak`), { force: true })
    await rm(join(dir, `${id}.undo.json`), { force: true })
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
