import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import { docText, holdsExpectations, setAt, valueAt } from '../mcp-config/document/formats'
import { createTempLedger } from '../mcp-config/files/temp-ledger'
import { writeIfUnchanged } from '../mcp-config/files/safe-write'
import { openLocation } from '../mcp-config/plan'
import { bindingSchema, type Binding } from '../../shared/mcp-clients'
import type { ConfigLocation } from '../mcp-config/paths'

/**
 * Replacing a client's entry that holds a key in plain text with a keyless one (a helper or the
 * bridge), undoably — without leaving the key anywhere but the keychain. The undo record keeps the
 * old entry with the key replaced by a reference to its keychain entry; undo reads the key back
 * from there. (Keywarden's usual config backups would keep the plain value, so this change makes
 * none.)
 */
const recordSchema = z.object({
  id: z.string(),
  file: z.string(),
  location: z.custom<ConfigLocation>((v) => typeof v === 'object' && v !== null),
  path: z.array(z.string()),
  keyId: z.string(),
  bindingId: z.string().optional(),
  /** The binding the entry had before (it was already Keywarden's): undo brings it back. No key in it. */
  replaced: bindingSchema.optional(),
  /** The old entry as JSON, each copy of the key replaced by KEY_REF. */
  before: z.string(),
  after: z.unknown(),
  at: z.string()
})
type SecureRecord = z.infer<typeof recordSchema>

const KEY_REF = '\u0000keywarden-keychain-value\u0000'
const dirOf = (dataDir: string) => join(dataDir, 'secured')

export interface MoveInput {
  location: ConfigLocation
  serverName: string
  /** The key the entry holds now; it must be found in the entry, or nothing is written. */
  value: string
  keyId: string
  bindingId?: string
  /** The binding this entry had, which the new one replaces. */
  replaced?: Binding
  entry: Record<string, unknown>
}

/** Writes the keyless entry in place of the old one; returns the change id to undo it with. */
export async function moveEntryKeyless(dataDir: string, input: MoveInput): Promise<string> {
  const { doc, names, container } = await openLocation(input.location)
  if (!names.includes(input.serverName))
    throw new KeywardenError('not-found', `${input.location.label} no longer has a server named "${input.serverName}".`)
  const path = [...container, input.serverName]
  const old = valueAt(doc, path)
  const oldJson = JSON.stringify(old)
  if (!oldJson.includes(input.value))
    throw new KeywardenError('conflict', `"${input.serverName}" in ${input.location.label} no longer holds that key; scan again.`)
  const entry = keepOtherFields(old, input.entry, input.value)
  setAt(doc, path, entry)
  const text = docText(doc)
  if (text.includes(input.value))
    throw new KeywardenError('internal', `The new entry for "${input.serverName}" would still hold the key; nothing was written.`)
  const record: SecureRecord = {
    id: randomUUID(),
    file: input.location.file,
    location: input.location,
    path,
    keyId: input.keyId,
    bindingId: input.bindingId,
    replaced: input.replaced,
    before: oldJson.split(input.value).join(KEY_REF),
    after: entry,
    at: new Date().toISOString()
  }
  await mkdir(dirOf(dataDir), { recursive: true, mode: 0o700 })
  const recordFile = join(dirOf(dataDir), `${record.id}.json`)
  await writeFile(recordFile, JSON.stringify(record), { mode: 0o600, flag: 'wx' })
  try {
    await writeIfUnchanged({
      file: input.location.file,
      label: input.location.label,
      expected: doc.originalBytes ?? doc.original,
      content: text,
      ownerOnly: false,
      verify: (t) => holdsExpectations(doc, t),
      ledger: createTempLedger(dataDir)
    })
  } catch (error) {
    await rm(recordFile, { force: true })
    throw error
  }
  return record.id
}

/**
 * The new entry, plus what the old one had that did not hold the key: other headers, its own URL
 * (the scan reports addresses cut short), client settings such as a timeout.
 */
function keepOtherFields(old: unknown, entry: Record<string, unknown>, value: string): Record<string, unknown> {
  if (!old || typeof old !== 'object') return entry
  const next: Record<string, unknown> = { ...entry }
  for (const [field, v] of Object.entries(old as Record<string, unknown>)) {
    if (field === 'headers' && v && typeof v === 'object') {
      const others = Object.entries(v as Record<string, unknown>).filter(([, h]) => !JSON.stringify(h).includes(value))
      if (others.length) next['headers'] = { ...Object.fromEntries(others), ...((next['headers'] as object | undefined) ?? {}) }
      continue
    }
    if (JSON.stringify(v).includes(value)) continue
    if (field === 'url' || field === 'serverUrl' || !(field in next)) next[field] = v
  }
  return next
}

/** The secured changes that can still be undone, newest first. */
export async function listSecured(dataDir: string): Promise<Array<Omit<SecureRecord, 'before' | 'after'>>> {
  const { readdir } = await import('node:fs/promises')
  const names = await readdir(dirOf(dataDir)).catch(() => [] as string[])
  const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readRecord(dataDir, n.slice(0, -5))))
  return records
    .filter((r): r is SecureRecord => Boolean(r))
    .map(({ before: _b, after: _a, ...r }) => r)
    .sort((a, b) => b.at.localeCompare(a.at))
}

async function readRecord(dataDir: string, id: string): Promise<SecureRecord | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined
  try {
    return recordSchema.parse(JSON.parse(await readFile(join(dirOf(dataDir), `${id}.json`), 'utf8')))
  } catch {
    return undefined
  }
}

/**
 * Puts the old entry back, its key read from the keychain. Refused when the entry was changed
 * since Keywarden wrote it (undo never overwrites someone's edit).
 */
export async function undoSecured(
  dataDir: string,
  id: string,
  readKey: (keyId: string) => Promise<string | null>,
  /** Throws when the vault cannot take the entry back now; runs before anything is written. */
  check: (record: Pick<SecureRecord, 'keyId' | 'bindingId' | 'replaced' | 'file'>) => void = () => {}
): Promise<{ keyId: string; bindingId?: string; replaced?: Binding; file: string; client: string; serverName?: string }> {
  const record = await readRecord(dataDir, id)
  if (!record) throw new KeywardenError('not-found', 'That change is no longer in the undo history.')
  check(record)
  const value = await readKey(record.keyId)
  if (!value)
    throw new KeywardenError('not-found', 'The key this entry used is no longer in the keychain, so the old entry cannot be put back.')
  const { doc } = await openLocation(record.location)
  const now = valueAt(doc, record.path)
  if (!isDeepStrictEqual(now, record.after))
    throw new KeywardenError(
      'file-changed',
      `"${record.path.at(-1)}" in ${record.file} was changed after Keywarden secured it, so undo could lose that edit. Change it by hand if you still want to.`
    )
  setAt(doc, record.path, JSON.parse(record.before.split(KEY_REF).join(value)) as unknown)
  await writeIfUnchanged({
    file: record.file,
    label: record.location.label,
    expected: doc.originalBytes ?? doc.original,
    content: docText(doc),
    ownerOnly: true,
    verify: (t) => holdsExpectations(doc, t),
    ledger: createTempLedger(dataDir)
  })
  await rm(join(dirOf(dataDir), `${id}.json`), { force: true })
  return {
    keyId: record.keyId,
    bindingId: record.bindingId,
    replaced: record.replaced,
    file: record.file,
    client: record.location.client,
    serverName: record.path.at(-1)
  }
}
