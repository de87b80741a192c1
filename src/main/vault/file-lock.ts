import { hostname } from 'node:os'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'

/** A lock of an older version (no owner file) counts as abandoned when untouched this long. */
const OWNERLESS_STALE_MS = 10_000
const TIMEOUT_MS = 20_000

interface Owner {
  pid: number
  host: string
}

/**
 * An exclusive lock on a file shared by several processes: a `<file>.lock` folder (as earlier
 * versions made it), with the holder's process id inside. A holder that was killed (`kill -9`) is
 * seen at once — its process is gone — and its lock is taken over without waiting for it to age.
 * Returns the call that releases it.
 */
export async function lockFile(
  file: string,
  /** `names`: the file the lock stands for, when the lock is kept elsewhere (said in the refusal). */
  options: { timeoutMs?: number; names?: string } = {}
): Promise<() => Promise<void>> {
  const lock = `${file}.lock`
  const host = hostname()
  const started = Date.now()
  let wait = 5
  for (;;) {
    try {
      await mkdir(lock)
      await writeFile(`${lock}/owner`, JSON.stringify({ pid: process.pid, host } satisfies Owner), { mode: 0o600 })
      await sweepAside(lock, host)
      return () => rm(lock, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = await readOwner(lock)
    if (await abandoned(lock, owner, host)) {
      await takeOver(lock, owner)
      continue
    }
    if (Date.now() - started > (options.timeoutMs ?? TIMEOUT_MS)) {
      throw new KeywardenError(
        'conflict',
        `${options.names ?? file} is locked by another Keywarden process${owner ? ` (process ${owner.pid})` : ''} that has not let go for ${Math.round(
          (Date.now() - started) / 1000
        )} s. Close the other Keywarden window or command, then try again.`
      )
    }
    await new Promise((r) => setTimeout(r, wait))
    wait = Math.min(100, wait * 2)
  }
}

async function readOwner(lock: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(`${lock}/owner`, 'utf8')) as Partial<Owner>
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : undefined
  } catch {
    return undefined
  }
}

async function abandoned(lock: string, owner: Owner | undefined, host: string): Promise<boolean> {
  if (owner && owner.host === host) return !alive(owner.pid)
  // Another machine's holder (a shared folder) or an older version's lock: only its age tells.
  const st = await stat(lock).catch(() => undefined)
  return st !== undefined && Date.now() - st.mtimeMs > OWNERLESS_STALE_MS
}

/**
 * Moves the abandoned lock aside (only one taker can) and deletes it. Should a live holder have
 * taken it in between, its lock is put back.
 */
async function takeOver(lock: string, seen: Owner | undefined): Promise<void> {
  const aside = `${lock}.stale-${randomBytes(6).toString('hex')}`
  try {
    await rename(lock, aside)
  } catch {
    return
  }
  const moved = await readOwner(aside)
  if (moved && seen && moved.pid !== seen.pid && alive(moved.pid)) {
    await rename(aside, lock).catch(() => undefined)
    return
  }
  await rm(aside, { recursive: true, force: true })
}

/**
 * Deletes what a taker killed between moving an abandoned lock aside and deleting it left
 * (`<lock>.stale-*`). One whose holder still runs is a lock being put back: it stays.
 */
async function sweepAside(lock: string, host: string): Promise<void> {
  const prefix = `${basename(lock)}.stale-`
  const names = await readdir(dirname(lock)).catch(() => [] as string[])
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const aside = join(dirname(lock), name)
    if (await abandoned(aside, await readOwner(aside), host)) await rm(aside, { recursive: true, force: true })
  }
}

export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
