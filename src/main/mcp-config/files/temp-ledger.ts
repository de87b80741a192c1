import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { lockFile } from '../../vault/file-lock'

/**
 * The marker in every temp file Keywarden writes beside a config: `<name>.kw-<hex>.tmp`. A user's
 * own `<name>.1` or `<name>.20260101` never has it, and the marker alone is not enough either: a
 * temp file is deleted only when this ledger also lists it.
 */
const MARKER = /\.kw-[0-9a-f]{16}\.tmp$/

export const tempNameFor = (target: string) => `${target}.kw-${randomBytes(8).toString('hex')}.tmp`
export const isTempName = (path: string) => MARKER.test(basename(path))

interface Entry {
  temp: string
  pid: number
}

/**
 * Keywarden's own record of the config writes it has in flight, in its data folder:
 * - one small file per temp file (`temp-files/`): an entry is made before its temp file exists and
 *   removed once the temp file was renamed into place, so a writer killed in between leaves an
 *   entry that proves the stray file is ours. Entries are a few bytes in Keywarden's own folder:
 *   they are written and read with direct calls, each a fraction of what a round trip through the
 *   thread pool costs on a busy machine;
 * - one lock per config file being written (`write-locks/`, named by the file's path, never beside
 *   the person's file), so two Keywarden writers of one file (the window and a command, or two
 *   commands) take turns from the comparison with the preview to the read-back.
 */
export function createTempLedger(dataDir: string) {
  const dir = join(dataDir, 'temp-files')
  const locks = join(dataDir, 'write-locks')
  const mine = new Set<string>()

  const alive = (pid: number) => {
    if (pid === process.pid) return false
    try {
      process.kill(pid, 0)
      return true
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'
    }
  }

  return {
    /** Waits for this config file's other Keywarden writers; returns the call that lets the next one in. */
    lock(target: string): Promise<() => Promise<void>> {
      mkdirSync(locks, { recursive: true, mode: 0o700 })
      return lockFile(join(locks, createHash('sha256').update(target).digest('hex').slice(0, 32)), { names: target })
    },

    /** Records a temp file about to be written; returns the call that forgets it. */
    async enter(temp: string): Promise<() => Promise<void>> {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const entry = join(dir, `${randomBytes(8).toString('hex')}.json`)
      writeFileSync(entry, JSON.stringify({ temp, pid: process.pid } satisfies Entry), { mode: 0o600, flag: 'wx' })
      mine.add(entry)
      return async () => {
        rmSync(entry, { force: true })
        mine.delete(entry)
      }
    },

    /**
     * Deletes what writers that are gone left behind: each listed temp file that still carries the
     * marker, then the entry. Entries of writes still running (here or in another process) stay.
     * Returns the temp files deleted.
     */
    async sweep(): Promise<string[]> {
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        return []
      }
      const removed: string[] = []
      for (const name of names) {
        const entry = join(dir, name)
        if (mine.has(entry)) continue
        let parsed: Partial<Entry> | undefined
        try {
          parsed = JSON.parse(readFileSync(entry, 'utf8')) as Partial<Entry>
        } catch {
          // Cut short before it was whole: its temp file was never created (it comes after).
          parsed = undefined
        }
        if (parsed && typeof parsed.pid === 'number' && alive(parsed.pid)) continue
        if (parsed && typeof parsed.temp === 'string' && isTempName(parsed.temp)) {
          try {
            unlinkSync(parsed.temp)
            removed.push(parsed.temp)
          } catch {
            // Already renamed into place or gone.
          }
        }
        rmSync(entry, { force: true })
      }
      return removed
    }
  }
}

export type TempLedger = ReturnType<typeof createTempLedger>
