import { chmod, lstat, mkdir, readFile, realpath, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { KeywardenError } from '../../shared/errors'
import { hashText } from './jsonc-file'

/**
 * Replaces a config file only if it still has the content the person was shown: re-read, compare,
 * write a temp file beside it, fsync, rename. A symlink is followed so the link itself survives.
 */
export async function writeIfUnchanged(options: {
  file: string
  label: string
  expectedHash: string
  content: string
  /** 0o600 when the new content holds a key value. */
  ownerOnly: boolean
}): Promise<void> {
  const target = await resolveTarget(options.file)
  // Same bytes as previewed means same content: no need to parse it again.
  if ((await currentHash(target)) !== options.expectedHash) {
    throw new KeywardenError('file-changed', `${options.file} changed since the preview (another program wrote it). Review the change again; Keywarden did not write anything.`)
  }
  let mode = options.ownerOnly ? 0o600 : 0o644
  let existing: Awaited<ReturnType<typeof stat>> | undefined
  try {
    existing = await stat(target)
  } catch {
    existing = undefined
  }
  if (existing) {
    // A file its owner made read-only is a decision to respect, even where rename could replace it.
    if ((existing.mode & 0o200) === 0) {
      throw new KeywardenError('file-unwritable', `${options.file} is read-only. Make it writable (chmod u+w) if Keywarden should change it; it was left as it was.`)
    }
    mode = options.ownerOnly ? 0o600 : existing.mode & 0o777
  } else {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 })
  }
  try {
    await writeFileAtomic(target, options.content, { mode, fsync: true })
    if (options.ownerOnly) await chmod(target, 0o600)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new KeywardenError('file-unwritable', `${options.file} cannot be written (${code}): check that you own it and that its folder is writable. Keywarden left it as it was.`)
    }
    throw error
  }
  if ((await currentHash(target)) !== hashText(options.content)) {
    throw new KeywardenError('file-changed', `${options.file} was changed by another program right after Keywarden wrote it. Check the file.`)
  }
}

/** Removes a file Keywarden created, if it still holds what Keywarden wrote. */
export async function removeIfUnchanged(file: string, expectedHash: string): Promise<void> {
  const target = await resolveTarget(file)
  if ((await currentHash(target)) !== expectedHash) throw new KeywardenError('file-changed', `${file} changed since Keywarden wrote it; undo it by hand.`)
  await unlink(target)
}

async function currentHash(file: string): Promise<string> {
  try {
    return hashText(await readFile(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return hashText(null)
    throw error
  }
}

async function resolveTarget(file: string): Promise<string> {
  try {
    const st = await lstat(file)
    return st.isSymbolicLink() ? await realpath(file) : file
  } catch {
    return file
  }
}
