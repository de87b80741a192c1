import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs'
import { chmod, rename, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { KeywardenError } from '../../shared/errors'
import { resolveTarget } from '../mcp-config/files/safe-write'
import { createFileScanner, type RawHit } from './file-scan'
import type { VaultIndex } from './vault-index'

export interface RedactRequest {
  file: string
  /** Keyed fingerprints of the values to mask in this file (every copy of each). */
  fingerprints: string[]
}

export interface RedactOutcome {
  file: string
  redacted: number
}

/** The mark on Keywarden's own temp files: only these are ever swept. */
export const REDACT_TEMP_MARK = '.keywarden-redact-'
const MASK = 0x2a // '*'
const ATTEMPTS = 3

/**
 * Masks every copy of the given keys in one file, in place: the first characters stay (as
 * Keywarden shows them everywhere), the rest become `*`, so every line keeps its length. The file is
 * rewritten through a temp file beside it (same mode, fsync, rename); no backup is made, so no
 * copy of the value is left behind by Keywarden. A file that changes while it is rewritten (a
 * shell or a running AI tool appending) is tried again, and left as it was if it keeps changing.
 */
export async function redactFile(request: RedactRequest, index: VaultIndex): Promise<RedactOutcome> {
  const target = await resolveTarget(request.file)
  const wanted = new Set(request.fingerprints)
  const scanner = createFileScanner(index)
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await stat(target).catch(() => undefined)
    if (!before?.isFile()) throw new KeywardenError('not-found', `${request.file} no longer exists; nothing was redacted.`)
    const scanned = await scanner.scan(target, before.size)
    if ('skipped' in scanned) throw new KeywardenError('unsupported', `${request.file} could not be read: ${scanned.skipped}.`)
    const spans = scanned.hits.filter((h) => wanted.has(h.fingerprint))
    if (spans.length === 0) return { file: request.file, redacted: 0 }
    const temp = path.join(path.dirname(target), `.${path.basename(target)}${REDACT_TEMP_MARK}${randomBytes(6).toString('hex')}`)
    try {
      copyMasked(target, temp, spans, before.mode & 0o7777)
      await chmod(temp, before.mode & 0o7777)
      const now = await stat(target)
      if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) {
        await unlink(temp)
        continue
      }
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
        throw new KeywardenError('file-unwritable', `${request.file} cannot be rewritten (${code}); it was left as it was.`)
      throw error
    }
    const after = await scanner.scan(target, (await stat(target)).size)
    const left = 'hits' in after ? after.hits.filter((h) => wanted.has(h.fingerprint)).length : 0
    if (left > 0)
      throw new KeywardenError('internal', `${request.file} still holds ${left} cop${left === 1 ? 'y' : 'ies'} after redaction; check it.`)
    return { file: request.file, redacted: spans.length }
  }
  throw new KeywardenError(
    'file-changed',
    `${request.file} kept changing while Keywarden redacted it (a shell or an AI tool is writing to it). Close that program and try again; the file was left as it was.`
  )
}

/** Copies `from` to a new file `to`, writing the masked bytes in place of each span. */
function copyMasked(from: string, to: string, spans: RawHit[], mode: number): void {
  const input = openSync(from, 'r')
  const output = openSync(to, 'wx', mode)
  const buf = Buffer.allocUnsafe(1 << 16)
  const sorted = [...spans].sort((a, b) => a.offset - b.offset)
  let pos = 0
  try {
    for (;;) {
      const n = readSync(input, buf, 0, buf.length, pos)
      if (n === 0) break
      for (const s of sorted) {
        const keep = s.masked.length - 1
        const from = Math.max(s.offset + keep, pos)
        const to = Math.min(s.offset + s.length, pos + n)
        if (from < to) buf.fill(MASK, from - pos, to - pos)
      }
      let written = 0
      while (written < n) written += writeSync(output, buf, written, n - written)
      pos += n
    }
    fsyncSync(output)
  } finally {
    closeSync(input)
    closeSync(output)
  }
}
