import { z } from 'zod'
import { bindingSchema, changeRecordSchema as changeSummarySchema } from '../../../shared/mcp-clients'
import type { BackupCipher } from './backup-cipher'

/** One value Keywarden changed: absent `before`/`after` mean the entry was not there. */
export const undoStepSchema = z.object({
  path: z.array(z.string()),
  /** A VS Code `inputs` entry, found by id. */
  inputId: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional()
})
export type UndoStep = z.infer<typeof undoStepSchema>

export const undoSchema = z.object({
  label: z.string(),
  steps: z.array(undoStepSchema),
  /** The whole text written when Keywarden created the file, so undo can delete it. */
  createdText: z.string().optional(),
  /**
   * The bindings whose entries this change removed: its undo records them again, so an entry that
   * asks Keywarden for its key (helper, bridge) finds it once it is back.
   */
  bindings: z.array(bindingSchema).optional()
})
export type UndoData = z.infer<typeof undoSchema>

export const SUMMARY_MAX = 300
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/**
 * What is known of a change without the backup key: where, when, what it did. Never a secret —
 * `holds` are fingerprints of the keys the change carried, so backups of revoked keys can go.
 * Any length or shape of input reads back: a summary is cut, never refused.
 */
export const changeRecordSchema = changeSummarySchema.extend({
  id: z.string().regex(/^[\w-]{1,100}$/),
  summary: z.string().transform((s) => cut(s, SUMMARY_MAX)),
  /** Whether the file existed before this change (undo then deletes it if it did not). */
  existed: z.boolean(),
  /** SHA-256 of the file as Keywarden wrote it: undo while it is still so puts back the exact bytes. */
  writtenHash: z.string().optional(),
  /** SHA-256 of the file before the change: tells, after a crash, whether the write happened. */
  beforeHash: z.string().optional(),
  holds: z.array(z.string()).default([]),
  /** The file's permission bits before the change; an undo leaves it no more open than this. */
  modeBefore: z.number().int().min(0).max(0o777).optional(),
  /** The process that recorded it, while its write may still be under way. */
  pid: z.number().int().optional()
})
export type ChangeRecord = z.infer<typeof changeRecordSchema>

/**
 * A change's file in backups/: its record as one JSON line, then (until it is undone) the sealed
 * undo data and the file's earlier bytes. The record is readable without the key, so a damaged
 * index is rebuilt from these files alone.
 */
export async function encodeChange(
  record: ChangeRecord,
  payload: { undo: UndoData; before: Buffer | null } | undefined,
  cipher: BackupCipher
): Promise<Buffer> {
  const head = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8')
  if (!payload) return head
  const undo = Buffer.from(JSON.stringify(payload.undo), 'utf8')
  const size = Buffer.alloc(9)
  size.writeUInt32BE(undo.length, 0)
  size.writeUInt8(payload.before ? 1 : 0, 4)
  const sealed = await cipher.encrypt(payload.before ? [size, undo, payload.before] : [size, undo], record.id)
  return Buffer.concat([head, ...sealed])
}

/** The record alone (no key needed); undefined when the file is not a whole change file. */
export function decodeRecord(bytes: Buffer): ChangeRecord | undefined {
  const nl = bytes.indexOf(10)
  if (nl < 0) return undefined
  try {
    const parsed = changeRecordSchema.safeParse(JSON.parse(bytes.subarray(0, nl).toString('utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export async function decodePayload(
  bytes: Buffer,
  id: string,
  cipher: BackupCipher
): Promise<{ undo: UndoData; before: Buffer | null } | undefined> {
  const nl = bytes.indexOf(10)
  if (nl < 0 || nl === bytes.length - 1) return undefined
  const plain = await cipher.decrypt(bytes.subarray(nl + 1), id)
  const length = plain.readUInt32BE(0)
  const hasBefore = plain.readUInt8(4) === 1
  const undo = undoSchema.parse(JSON.parse(plain.subarray(9, 9 + length).toString('utf8')))
  return { undo, before: hasBefore ? plain.subarray(9 + length) : null }
}
