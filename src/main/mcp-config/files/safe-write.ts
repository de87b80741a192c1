import { chmod, lstat, mkdir, readFile, readlink, realpath, stat, unlink } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { KeywardenError } from '../../../shared/errors'
import { replaceFile } from './atomic-write'
import type { TempLedger } from './temp-ledger'

/**
 * Replaces a config file only if it still has the content the person was shown: re-read, compare,
 * write a temp file beside it, fsync, rename, read back. A symlink is followed so the link itself
 * survives — a dangling one included: its target is created.
 */
export async function writeIfUnchanged(options: {
  file: string
  label: string
  /** The bytes (or text) the change was planned on; null: the file did not exist. */
  expected: Buffer | string | null
  content: string | Buffer
  /** 0o600 when the new content holds a key value. */
  ownerOnly: boolean
  /** Checks the text read back after writing (the entry is there, with the intended content). */
  verify?: (text: string) => boolean
  /** What to tell the person when the file is no longer what the change was planned on. */
  changedMessage?: string
  /**
   * Runs once the file is known to be unchanged, just before it is replaced (records the undo);
   * given the bytes about to be written, encoded once for both, and the file's mode now (none: new file).
   */
  beforeWrite?: (target: string, bytes: Buffer, mode: number | undefined) => Promise<void>
  /** Permission bits the file may not go beyond (an undo: the mode recorded before the change). */
  modeAtMost?: number
  /** Runs when the replacement itself failed, so nothing changed. */
  writeFailed?: () => Promise<void>
  /** Keywarden's record of its temp files: what a killed writer left is found there, and only that. */
  ledger: TempLedger
}): Promise<void> {
  const target = await resolveTarget(options.file)
  // Held from the comparison to the read-back: another Keywarden writer of this file waits, then
  // finds the content changed and refuses, instead of both passing the check and one losing its entry.
  const release = await options.ledger.lock(target)
  try {
    await writeLocked(target, options)
  } finally {
    await release()
  }
}

async function writeLocked(target: string, options: Parameters<typeof writeIfUnchanged>[0]): Promise<void> {
  // Independent reads, made at once: the content to compare, its mode and owner, stray temp files.
  const [current, existing] = await Promise.all([readBytes(target), stat(target).catch(() => undefined), options.ledger.sweep()])
  if (!sameBytes(current, options.expected)) {
    throw new KeywardenError(
      'file-changed',
      options.changedMessage ??
        `${options.file} changed since the preview (another program wrote it). Review the change again; Keywarden did not write anything.`
    )
  }
  let mode = options.ownerOnly ? 0o600 : 0o644
  if (existing) {
    // A file its owner made read-only is a decision to respect, even where rename could replace it.
    if ((existing.mode & 0o200) === 0) {
      throw new KeywardenError(
        'file-unwritable',
        `${options.file} is read-only. Make it writable (chmod u+w) if Keywarden should change it; it was left as it was.`
      )
    }
    mode = options.ownerOnly ? 0o600 : existing.mode & 0o777
    // Only ever narrowed, never opened up; the owner keeps reading and writing their own file.
    if (options.modeAtMost !== undefined) mode &= options.modeAtMost | 0o600
  } else {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 })
  }
  // Bytes, encoded once: what is written is then compared byte for byte with what is read back.
  const bytes = Buffer.isBuffer(options.content) ? options.content : Buffer.from(options.content, 'utf8')
  await options.beforeWrite?.(target, bytes, existing ? existing.mode & 0o777 : undefined)
  try {
    await replaceFile(target, bytes, {
      mode,
      owner: existing ? { uid: existing.uid, gid: existing.gid } : undefined,
      ledger: options.ledger
    })
  } catch (error) {
    await options.writeFailed?.()
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new KeywardenError(
        'file-unwritable',
        `${options.file} cannot be written (${code}): check that you own it and that its folder is writable. Keywarden left it as it was.`
      )
    }
    throw error
  }
  if (options.ownerOnly) await chmod(target, 0o600)
  if (!sameBytes(await readBytes(target), bytes)) {
    throw new KeywardenError(
      'file-changed',
      `${options.file} was edited elsewhere right after Keywarden wrote it. Check the file; the change can be undone from Keywarden.`
    )
  }
  // The bytes read back are the content's own, so the entry is checked on the content's text.
  if (options.verify && !options.verify(typeof options.content === 'string' ? options.content : bytes.toString('utf8'))) {
    throw new KeywardenError(
      'internal',
      `${options.file} does not hold the entry Keywarden wrote. Check the file; the change can be undone from Keywarden.`
    )
  }
}

/** Removes a file Keywarden created, if it still holds what Keywarden wrote. */
export async function removeIfUnchanged(
  file: string,
  expected: string | Buffer,
  changedMessage: string,
  ledger: TempLedger
): Promise<void> {
  const target = await resolveTarget(file)
  const release = await ledger.lock(target)
  try {
    if (!sameBytes(await readBytes(target), expected)) throw new KeywardenError('file-changed', changedMessage)
    await unlink(target)
  } finally {
    await release()
  }
}

export async function readText(file: string): Promise<string | null> {
  return (await readBytes(file))?.toString('utf8') ?? null
}

async function readBytes(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function sameBytes(actual: Buffer | null, expected: Buffer | string | null): boolean {
  if (actual === null || expected === null) return actual === expected
  return actual.equals(typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected)
}

/** The file a path really names: links followed, even to a target that does not exist yet. */
export async function resolveTarget(file: string): Promise<string> {
  let current = file
  for (let hops = 0; hops < 16; hops++) {
    let st
    try {
      st = await lstat(current)
    } catch {
      return current
    }
    if (!st.isSymbolicLink()) return current
    try {
      return await realpath(current)
    } catch {
      // A dangling link: follow it by hand so the link stays and its target gets the content.
      current = resolve(dirname(current), await readlink(current))
    }
  }
  throw new KeywardenError(
    'file-unwritable',
    `${file} is a chain of symbolic links that does not end; fix the link. Keywarden left it as it was.`
  )
}
