import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { tempNameFor, type TempLedger } from './temp-ledger'

/**
 * Replaces a file atomically: a temp file beside it under Keywarden's own marker (recorded in the
 * ledger first), written, fsynced, given the mode (and, for root, the owner) of the file it
 * replaces, then renamed over it. A writer killed at any moment leaves either the old or the new
 * file, and at most one temp file that the ledger proves is Keywarden's.
 */
export async function replaceFile(
  target: string,
  bytes: Buffer,
  options: { mode: number; owner?: { uid: number; gid: number }; ledger: TempLedger; fsync?: boolean }
): Promise<void> {
  const temp = tempNameFor(target)
  const forget = await options.ledger.enter(temp)
  let handle: FileHandle | undefined
  try {
    handle = await open(temp, 'wx', options.mode)
    await handle.writeFile(bytes)
    await handle.chmod(options.mode)
    if (options.owner && process.getuid?.() === 0) await handle.chown(options.owner.uid, options.owner.gid).catch(() => undefined)
    if (options.fsync !== false) await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temp, target)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  } finally {
    await forget()
  }
}
