import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs'
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { alive, lockFile } from './file-lock'

/**
 * A small JSON document that the window and the command line both write (the vault's metadata, the
 * rotation journal). Each process keeps a parsed copy for cheap reads; a change is made under a
 * lock file, on the newest content on disk, so neither process can put back an older copy over
 * the other's work.
 */
export interface SharedFile<T> {
  /** The newest content: re-read when another process replaced the file since. */
  read(): T
  /** Replaces the in-memory copy only (bookkeeping that is fine to lose); no write. */
  setInMemory(next: T): void
  /**
   * Applies `change` to the newest content under the lock and writes the result atomically.
   * `change` returns the next document (it may also return the same object mutated).
   */
  update<R>(change: (current: T) => { next: T; result: R }): Promise<R>
}

/** Which write of the file is on disk: a rename by another process changes it. */
export interface Version {
  ino: number
  size: number
  mtimeMs: number
  ctimeMs: number
}

export const versionOf = (file: string): Version | undefined => {
  try {
    const st = statSync(file)
    return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs }
  } catch {
    return undefined
  }
}
const same = (a?: Version, b?: Version) =>
  a?.ino === b?.ino && a?.size === b?.size && a?.mtimeMs === b?.mtimeMs && a?.ctimeMs === b?.ctimeMs

export function openSharedFile<T>(options: {
  file: string
  initial: T
  /** The text `initial` was parsed from (undefined when there was no file): what this process knows. */
  initialText: string | undefined
  /**
   * The file's version taken before `initialText` was read, so the first read does not read the
   * file again (a write in between still shows as a changed version, and is read then).
   */
  initialVersion?: Version
  /** Parses the file's text; throws when it is not a valid document. */
  parse: (text: string) => T
  serialize: (value: T) => string
  /** Called when another process left content this one cannot read; the copy in memory is kept. */
  onUnreadable?: (error: unknown) => void
}): SharedFile<T> {
  const { file } = options
  sweepTempCopies(file)
  let value = options.initial
  // What this process last read or wrote: the file's own text decides whether another process
  // wrote since (timestamps are too coarse and inode numbers get reused).
  let known = options.initialText
  let version = options.initialText === undefined ? undefined : options.initialVersion
  let queue: Promise<unknown> = Promise.resolve()

  const adopt = (text: string | undefined) => {
    if (text === undefined || text === known) return
    value = options.parse(text)
    known = text
  }

  return {
    read() {
      // The cheap check on every read: a changed stat means another process may have written.
      const current = versionOf(file)
      if (current && !same(current, version)) {
        try {
          adopt(readText(file))
          version = current
        } catch (error) {
          options.onUnreadable?.(error)
        }
      }
      return value
    },
    setInMemory(next) {
      value = next
    },
    update(change) {
      const run = queue.then(async () => {
        const release = await lockFile(file)
        try {
          // Build on the newest content, and refuse (rather than overwrite) content that does not parse.
          adopt(
            await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
              error.code === 'ENOENT' ? undefined : Promise.reject(error)
            )
          )
          const { next, result } = change(value)
          const text = options.serialize(next)
          await replaceAtomically(file, text)
          value = next
          known = text
          version = versionOf(file)
          return result
        } finally {
          await release().catch(() => undefined)
        }
      })
      queue = run.catch(() => undefined)
      return run
    }
  }
}

/**
 * The file's bytes and the version they are (at least as new as): the version is taken first, so
 * a write in between shows as a changed version on the next read. One read call: this is on
 * every command's path, and a megabytes-long vault in chunks of a thread pool is slower.
 */
export function readVersioned(file: string): { bytes: Buffer | undefined; version: Version | undefined } {
  const version = versionOf(file)
  try {
    return { bytes: readFileSync(file), version }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: undefined, version: undefined }
    throw error
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** `vault.json.kw-<pid>-<hex>.tmp`: whose temp copy it is, so a dead writer's can be told apart. */
const TEMP = /^(.+)\.kw-(\d+)-[0-9a-f]{12}\.tmp$/
/** Temp copies that write-file-atomic made in earlier versions: `vault.json.<number>`. */
const LEGACY_TEMP = /^(.+)\.\d{1,10}$/
const LEGACY_STALE_MS = 60_000

/** Written beside the file under the writer's marker, fsynced, renamed over it. */
async function replaceAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.kw-${process.pid}-${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
    await handle.close()
    await rename(temp, file)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/**
 * Deletes the temp copies of this file that a killed process left in the data folder (Keywarden's
 * own folder): ours of processes that are gone, and earlier versions' numbered ones once old.
 * They may hold the vault's metadata; they never hold a key value.
 */
function sweepTempCopies(file: string): void {
  const dir = dirname(file)
  const name = basename(file)
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return
  }
  for (const entry of entries) {
    const ours = TEMP.exec(entry)
    const legacy = LEGACY_TEMP.exec(entry)
    let stale = false
    if (ours?.[1] === name) stale = !alive(Number(ours[2]))
    else if (legacy?.[1] === name) {
      try {
        stale = Date.now() - statSync(join(dir, entry)).mtimeMs > LEGACY_STALE_MS
      } catch {
        stale = false
      }
    }
    if (!stale) continue
    try {
      unlinkSync(join(dir, entry))
    } catch {
      // Gone already.
    }
  }
}
