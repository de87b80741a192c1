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
}

const versionOf = (file: string): Version | undefined => {
  try {
    const st = statSync(file)
    return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }
  } catch {
    return undefined
  }
}
const same = (a?: Version, b?: Version) => a?.ino === b?.ino && a?.size === b?.size && a?.mtimeMs === b?.mtimeMs

export function openSharedFile<T>(options: {
  file: string
  initial: T
  /** Parses the file's text; throws when it is not a valid document. */
  parse: (text: string) => T
  serialize: (value: T) => string
  /** Called when another process left content this one cannot read; the copy in memory is kept. */
  onUnreadable?: (error: unknown) => void
}): SharedFile<T> {
  const { file } = options
  let value = options.initial
  let version = versionOf(file)
  let queue: Promise<unknown> = Promise.resolve()

  const reloadIfChanged = (current: Version | undefined) => {
    if (!current || same(current, version)) return
    try {
      value = options.parse(readFileSync(file, 'utf8'))
      version = current
    } catch (error) {
      options.onUnreadable?.(error)
    }
  }

  return {
    read() {
      reloadIfChanged(versionOf(file))
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
          const onDisk = versionOf(file)
          if (onDisk && !same(onDisk, version)) {
            // Another process wrote since this one last read: build on its content, and refuse
            // (rather than overwrite) content that does not parse.
            value = options.parse(await readFile(file, 'utf8'))
            version = onDisk
          }
          const { next, result } = change(value)
          await writeFileAtomic(file, options.serialize(next), { mode: 0o600 })
          value = next
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
