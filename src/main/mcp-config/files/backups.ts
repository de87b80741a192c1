import { createHash, randomUUID } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SecretStore } from '../../vault/secret-store'
import { keychainCipher, type BackupCipher } from './backup-cipher'
import { decodePayload, decodeRecord, encodeChange, SUMMARY_MAX, type ChangeRecord, type UndoData } from './backup-file'
import { readIndex, writeIndex } from './backup-index'
import { migrateLegacyBackups } from './legacy-backups'
import { createTempLedger } from './temp-ledger'

export { changeRecordSchema, undoStepSchema, type ChangeRecord, type UndoData, type UndoStep } from './backup-file'

const KEEP_PER_FILE = 20
const KEEP_DAYS = 30
/** A change file of a process still running, younger than this, may still be waiting for the index. */
const IN_FLIGHT_MS = 30_000

const MISSING = '\u0000missing'
export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

/**
 * What undoes each change Keywarden made to a config file: the entries it changed and, as a safety
 * net, the file's earlier bytes — both sealed with the vault's backup key (see backup-cipher.ts).
 * One file per change in the data folder's backups/, owner-only; index.json only lists them, and is
 * rebuilt from those files when it is missing or damaged. Kept: the newest 20 per config file, for
 * 30 days, and none whose keys have all been revoked.
 */
export function createBackupStore(dataDir: string, keychain: SecretStore, options: { now?: () => Date; cipher?: BackupCipher } = {}) {
  const dir = join(dataDir, 'backups')
  const now = options.now ?? (() => new Date())
  const cipher = options.cipher ?? keychainCipher(keychain)
  const ledger = createTempLedger(dataDir)
  const fileOf = (id: string) => join(dir, `${id}.kwb`)
  let queue: Promise<unknown> = Promise.resolve()
  let recovered: Promise<void> | undefined
  const inFlight = new Set<string>()

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      // The first use after a start cleans what a killed process left: its temp files, its
      // half-written backups, backups it never indexed, plaintext backups of older versions.
      recovered ??= recover()
      await recovered
      return fn()
    })
    queue = run.catch(() => undefined)
    return run
  }

  async function recover(): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await ledger.sweep()
    await migrateLegacyBackups(dir, async (record, payload) => writeChange(record, payload))
  }

  async function writeChange(record: ChangeRecord, payload: { undo: UndoData; before: Buffer | null } | undefined) {
    const part = join(dir, `${record.id}.${process.pid}.part`)
    await writeFile(part, await encodeChange(record, payload, cipher), { mode: 0o600, flag: 'wx' })
    await rename(part, fileOf(record.id))
  }

  const remove = (id: string) => rm(fileOf(id), { force: true })

  /** The index, made whole: every change file listed once, none listed without its file. */
  async function current(): Promise<ChangeRecord[]> {
    const listed = await readIndex(join(dir, 'index.json'))
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      names = []
    }
    const onDisk = new Set<string>()
    for (const name of names) {
      if (name.endsWith('.kwb')) onDisk.add(name.slice(0, -4))
      else if (name.endsWith('.part')) {
        // A backup cut short: ours by its name, and useless once its writer is gone (the change
        // was never written).
        const pid = Number(/\.(\d+)\.part$/.exec(name)?.[1])
        const st = await stat(join(dir, name)).catch(() => undefined)
        if (!alive(pid) || (st && now().getTime() - st.mtimeMs > IN_FLIGHT_MS)) await rm(join(dir, name), { force: true })
      }
    }
    const byId = new Map(listed.filter((c) => onDisk.has(c.id)).map((c) => [c.id, c]))
    let changed = byId.size !== listed.length
    for (const id of onDisk) {
      // This store's own change, being recorded right now, waits for its record to index it: its
      // file (a sealed copy of the whole config) need not be read back.
      if (byId.has(id) || inFlight.has(id)) continue
      const bytes = await readFile(fileOf(id)).catch(() => undefined)
      const record = bytes && decodeRecord(bytes)
      if (!record) {
        await remove(id)
        continue
      }
      if (!record.undone && !(await settle(record))) continue
      byId.set(id, { ...record, pid: undefined })
      changed = true
    }
    // ISO-8601 times in UTC: ordered by their characters, with no locale rules to load.
    const all = [...byId.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    const kept = await prune(all)
    if (changed || kept.length !== all.length) await writeIndex(join(dir, 'index.json'), kept, ledger)
    return kept
  }

  /**
   * A change file the index does not list: its process stopped (or lost a race) before indexing it.
   * Kept when its write happened, deleted when the config still has its earlier bytes and its
   * writer is gone, left for later while that writer may still be writing.
   */
  async function settle(record: ChangeRecord): Promise<boolean> {
    const text = await readFile(record.file).catch(() => null)
    const hash = sha256(text ?? MISSING)
    if (hash === record.writtenHash) return true
    const st = await stat(fileOf(record.id)).catch(() => undefined)
    const young = st !== undefined && now().getTime() - st.mtimeMs < IN_FLIGHT_MS
    if (record.pid !== undefined && alive(record.pid) && young) return false
    if (hash === record.beforeHash) {
      await remove(record.id)
      return false
    }
    return true
  }

  /** Drops changes older than 30 days and all but the newest 20 per config file. */
  async function prune(changes: ChangeRecord[]): Promise<ChangeRecord[]> {
    const oldest = now().getTime() - KEEP_DAYS * 24 * 60 * 60 * 1000
    const perFile = new Map<string, number>()
    const drop = new Set<string>()
    for (const c of [...changes].reverse()) {
      const n = (perFile.get(c.file) ?? 0) + 1
      perFile.set(c.file, n)
      if (n > KEEP_PER_FILE || Date.parse(c.at) < oldest) drop.add(c.id)
    }
    for (const id of drop) await remove(id)
    return changes.filter((c) => !drop.has(c.id))
  }

  async function payload(id: string) {
    const bytes = await readFile(fileOf(id)).catch(() => undefined)
    return bytes ? decodePayload(bytes, id, cipher) : undefined
  }

  return {
    /** Where this store records its temp files, so writes beside configs can prove which are Keywarden's. */
    ledger,
    /**
     * Records a change before its file is written, so a failure after the write still leaves an
     * undo; `discard` takes it back when the write did not happen. Returns the change id.
     */
    record: (change: {
      file: string
      before: Buffer | string | null
      undo: UndoData
      summary: string
      /** The file's content as it will be written (its bytes, when the writer has them encoded). */
      written: Buffer | string
      /** Fingerprints of the keys this change carries (new and old). */
      holds?: string[]
      /** The file's permission bits before the change (none: it did not exist). */
      modeBefore?: number
    }) =>
      serial(async () => {
        const id = randomUUID()
        const before = change.before === null ? null : Buffer.isBuffer(change.before) ? change.before : Buffer.from(change.before, 'utf8')
        const record: ChangeRecord = {
          id,
          file: change.file,
          at: now().toISOString(),
          summary: change.summary.slice(0, SUMMARY_MAX),
          existed: before !== null,
          writtenHash: sha256(change.written),
          beforeHash: sha256(before ?? MISSING),
          holds: [...new Set(change.holds ?? [])],
          ...(change.modeBefore !== undefined ? { modeBefore: change.modeBefore } : {}),
          pid: process.pid,
          undone: false
        }
        inFlight.add(id)
        try {
          await writeChange(record, { undo: change.undo, before })
          const changes = await current()
          if (!changes.some((c) => c.id === id)) changes.push({ ...record, pid: undefined })
          await writeIndex(join(dir, 'index.json'), await prune(changes), ledger)
        } finally {
          inFlight.delete(id)
        }
        return id
      }),
    discard: (id: string) =>
      serial(async () => {
        await remove(id)
        await writeIndex(
          join(dir, 'index.json'),
          (await current()).filter((c) => c.id !== id),
          ledger
        )
      }),
    list: (): Promise<ChangeRecord[]> => serial(async () => (await current()).slice().reverse()),
    get: (id: string): Promise<ChangeRecord | undefined> => serial(async () => (await current()).find((c) => c.id === id)),
    /** The file's bytes before the change. */
    content: async (id: string): Promise<Buffer> => {
      const p = await payload(id)
      if (!p?.before) throw new Error(`The backup of change ${id} holds no earlier file.`)
      return p.before
    },
    undoData: async (id: string): Promise<UndoData | undefined> => (await payload(id))?.undo,
    /** Marks a change undone: its record stays in the history, its sealed contents go. */
    markUndone: (id: string) =>
      serial(async () => {
        const changes = await current()
        const record = changes.find((c) => c.id === id)
        if (record) await writeChange({ ...record, undone: true }, undefined)
        await writeIndex(
          join(dir, 'index.json'),
          changes.map((c) => (c.id === id ? { ...c, undone: true } : c)),
          ledger
        )
      }),
    /**
     * The hook for the vault: given the fingerprints of every key still live, deletes each backup
     * whose keys are all revoked — putting one back would only restore a dead key. Returns the ids
     * removed. Backups that hold no known key are kept (by count and age only). `live` may be any
     * membership test (the vault passes "not a revoked key", so values it never held count as live).
     */
    pruneRevoked: (live: { has(fingerprint: string): boolean }) =>
      serial(async () => {
        const changes = await current()
        const dead = changes.filter((c) => !c.undone && c.holds.length > 0 && c.holds.every((f) => !live.has(f)))
        for (const c of dead) await remove(c.id)
        const gone = new Set(dead.map((c) => c.id))
        await writeIndex(
          join(dir, 'index.json'),
          changes.filter((c) => !gone.has(c.id)),
          ledger
        )
        return [...gone]
      }),
    /** Cleans what a killed process left; runs by itself on first use, callable at start. */
    recover: () => serial(async () => void (await current()))
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export type BackupStore = ReturnType<typeof createBackupStore>
