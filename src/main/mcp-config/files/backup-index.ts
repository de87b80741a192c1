import { readFileSync } from 'node:fs'
import { changeRecordSchema, type ChangeRecord } from './backup-file'
import { replaceFile } from './atomic-write'
import type { TempLedger } from './temp-ledger'

/**
 * backups/index.json lists the changes, oldest first. It is only a list: each change's own file
 * holds its record too, so an index that is missing, cut short or not JSON reads as empty and is
 * rebuilt from those files; a record that does not fit the schema is dropped and read again from
 * its file. Nothing in it can stop a write.
 */
export async function readIndex(file: string): Promise<ChangeRecord[]> {
  let parsed: unknown
  try {
    // A few kilobytes in Keywarden's own folder, read on every change: a direct read.
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return []
  }
  const changes = (parsed as { changes?: unknown } | null)?.changes
  if (!Array.isArray(changes)) return []
  const out: ChangeRecord[] = []
  for (const raw of changes) {
    const record = changeRecordSchema.safeParse(raw)
    if (record.success) out.push(record.data)
  }
  return out
}

export async function writeIndex(file: string, changes: ChangeRecord[], ledger: TempLedger): Promise<void> {
  const text = JSON.stringify({ version: 2, changes: changes.map((c) => ({ ...c, pid: undefined })) }, null, 1)
  await replaceFile(file, Buffer.from(text, 'utf8'), { mode: 0o600, ledger, fsync: false })
}
