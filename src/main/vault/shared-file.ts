import { statSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import lockfile from 'proper-lockfile'
import writeFileAtomic from 'write-file-atomic'

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

interface Version {
  ino: number
  size: number
  mtimeMs: number
  ctimeMs: number
}

const versionOf = (file: string): Version | undefined => {
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
  /** Parses the file's text; throws when it is not a valid document. */
  parse: (text: string) => T
  serialize: (value: T) => string
  /** Called when another process left content this one cannot read; the copy in memory is kept. */
  onUnreadable?: (error: unknown) => void
}): SharedFile<T> {
  const { file } = options
  let value = options.initial
  // What this process last read or wrote: the file's own text decides whether another process
  // wrote since (timestamps are too coarse and inode numbers get reused).
  let known = options.initialText
  let version: Version | undefined
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
        const release = await lockfile.lock(file, {
          realpath: false,
          lockfilePath: `${file}.lock`,
          stale: 10_000,
          retries: { retries: 60, factor: 1.3, minTimeout: 10, maxTimeout: 250 },
          // A lock held past `stale` was taken over; the atomic write below still cannot tear the
          // file, so there is nothing better to do than finish.
          onCompromised: () => undefined
        })
        try {
          // Build on the newest content, and refuse (rather than overwrite) content that does not parse.
          adopt(
            await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
              error.code === 'ENOENT' ? undefined : Promise.reject(error)
            )
          )
          const { next, result } = change(value)
          const text = options.serialize(next)
          await writeFileAtomic(file, text, { mode: 0o600 })
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

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
