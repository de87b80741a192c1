import { closeSync, constants, openSync, readSync } from 'node:fs'
import { KEY_SHAPES, MAX_TOKEN, TOKEN_BYTE, shapeOf, type KeyShape } from './key-shapes'
import { createPrefilter, type Prefilter } from './prefilter'
import { LITERAL_LENGTH, type IndexedKey, type VaultIndex } from './vault-index'

/** One copy of a key in a file, by byte offset. Holds no part of the value beyond its masked prefix. */
export interface RawHit {
  offset: number
  length: number
  fingerprint: string
  masked: string
  shape?: KeyShape
  key?: IndexedKey
  match?: 'exact' | 'prefix'
}

export type FileOutcome = { hits: RawHit[]; bytes: number } | { skipped: string; bytes: number }

const CHUNK = 65536
/** Bytes kept from one chunk to the next: a whole token, plus the context before a key's start. */
const CARRY = MAX_TOKEN + 16
const CONTEXT = 16
/** Files larger than this are left out with a note (transcripts rarely come near). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024

type Literal = { kind: 'shape' } | { kind: 'vault'; lengths: number[] }

/** Masks a found value the way the rest of Keywarden does: the first characters only. */
export function maskBytes(bytes: Uint8Array, start: number, length: number, shape?: KeyShape): string {
  const visible = Math.min(length - 4, Math.max(8, shape?.prefix.length ?? 0), 16)
  return `${Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(visible, 0)).toString('latin1')}…`
}

/**
 * Scans files for copies of keys: every literal (service prefixes, the first characters of held
 * keys) is found by the prefilter, then confirmed by the key's whole shape or by its keyed
 * fingerprint. Files are read in 64 KiB chunks straight into the prefilter's memory, opened
 * read-only; the event loop gets a turn every few milliseconds.
 */
export function createFileScanner(index: VaultIndex, options: { maxFileBytes?: number; yieldEveryMs?: number } = {}) {
  const literals: Literal[] = []
  const texts: string[] = []
  for (const prefix of new Set(KEY_SHAPES.map((s) => s.prefix))) {
    texts.push(prefix)
    literals.push({ kind: 'shape' })
  }
  for (const [prefix, lengths] of index.literals) {
    texts.push(prefix)
    literals.push({ kind: 'vault', lengths: [...lengths] })
  }
  const prefilter: Prefilter = createPrefilter(texts, CHUNK + CARRY + CONTEXT)
  const { bytes, inputStart } = prefilter
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
  const yieldEveryMs = options.yieldEveryMs ?? 15

  function tokenEnd(start: number, dataEnd: number): number {
    let e = start
    while (e < dataEnd && TOKEN_BYTE[bytes[e]!] === 1 && e - start <= MAX_TOKEN) e++
    return e
  }

  function onLiteral(hits: Map<number, RawHit>, base: number, start: number, literal: number, dataEnd: number) {
    const lit = literals[literal]!
    if (lit.kind === 'vault') {
      for (const length of lit.lengths) {
        if (start + length > dataEnd) continue
        const fingerprint = index.fingerprint(bytes.subarray(start, start + length))
        const key = index.byFingerprint.get(fingerprint)
        if (key)
          hits.set(start, { offset: base + start, length, fingerprint, masked: maskBytes(bytes, start, length), key, match: 'exact' })
      }
      return
    }
    // A held key found by its fingerprint stays as found, however the text around it reads.
    if (hits.get(start)?.match === 'exact' || !leftBoundary(bytes, start, inputStart)) return
    const end = tokenEnd(start, dataEnd)
    if (end - start > MAX_TOKEN) return
    const shape = shapeOf(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'))
    if (!shape) return
    const token = bytes.subarray(start, end)
    const fingerprint = index.fingerprint(token)
    const exact = index.byFingerprint.get(fingerprint)
    const masked = maskBytes(bytes, start, end - start, shape)
    const listed = exact ? undefined : index.listed.find((l) => masked.startsWith(l.prefix))
    hits.set(start, {
      offset: base + start,
      length: end - start,
      fingerprint,
      masked,
      shape,
      key: exact ?? listed?.key,
      match: exact ? 'exact' : listed ? 'prefix' : undefined
    })
  }

  return {
    engine: prefilter.engine,
    /** Scans one file; `size` is what a stat said (the file is read to its end either way). */
    async scan(file: string, size: number, progress?: (bytes: number) => void): Promise<FileOutcome> {
      if (size > maxFileBytes) return { skipped: `larger than ${Math.round(maxFileBytes / 1048576)} MB`, bytes: 0 }
      let fd: number
      try {
        fd = openReadOnly(file)
      } catch (error) {
        return { skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, bytes: 0 }
      }
      const found = new Map<number, RawHit>()
      let total = 0
      let carried = 0
      /** File offset of the buffer's first byte, and how far literal starts have been looked at. */
      let base = 0
      let processedTo = 0
      let sliceStart = performance.now()
      try {
        for (;;) {
          const n = readSync(fd, bytes, inputStart + carried, CHUNK, null)
          if (total === 0 && n > 0 && bytes.subarray(inputStart, inputStart + Math.min(n, 8000)).includes(0)) {
            return { skipped: 'binary', bytes: 0 }
          }
          total += n
          const dataEnd = inputStart + carried + n
          const eof = n === 0
          // A start near the end waits for the next chunk, so the whole token is in the buffer.
          const from = inputStart + (processedTo - base)
          const doneTo = eof ? dataEnd : Math.max(from, dataEnd - CARRY)
          const hits = new Map<number, RawHit>()
          prefilter.find(from, doneTo, dataEnd, (start, literal) => onLiteral(hits, base - inputStart, start, literal, dataEnd))
          for (const h of hits.values()) found.set(h.offset, h)
          if (eof) break
          processedTo = base + (doneTo - inputStart)
          // Keep what is not looked at yet, and a little context before it.
          const keepFrom = Math.max(inputStart, doneTo - CONTEXT)
          bytes.copyWithin(inputStart, keepFrom, dataEnd)
          base += keepFrom - inputStart
          carried = dataEnd - keepFrom
          if (performance.now() - sliceStart > yieldEveryMs) {
            progress?.(total)
            await new Promise((resolve) => setImmediate(resolve))
            sliceStart = performance.now()
          }
        }
      } catch (error) {
        return { skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, bytes: total }
      } finally {
        closeSync(fd)
      }
      return { hits: [...found.values()].sort((a, b) => a.offset - b.offset), bytes: total }
    }
  }
}

/**
 * Whether a key may start here: after a character that cannot be part of a token, a path or a
 * base64 blob — or after an escape that ends one (`\n` in JSON, `%3D` in a URL).
 */
function leftBoundary(bytes: Uint8Array, start: number, floor: number): boolean {
  if (start <= floor) return true
  const before = bytes[start - 1]!
  if (!TOKEN_BYTE[before] && before !== 0x2f && before !== 0x2b && before !== 0x2e) return true
  if (start - 2 >= floor && bytes[start - 2] === 0x5c && 'ntrbf'.includes(String.fromCharCode(before))) return true
  if (start - 3 >= floor && bytes[start - 3] === 0x25 && isHex(bytes[start - 2]!) && isHex(before)) return true
  return false
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)

function openReadOnly(file: string): number {
  // O_NOATIME where the platform has it: a scan should leave no trace, not even an access time.
  const noatime = (constants as { O_NOATIME?: number }).O_NOATIME
  if (noatime) {
    try {
      return openSync(file, constants.O_RDONLY | noatime)
    } catch {
      // Only the file's owner may ask for it; anyone else opens it plainly.
    }
  }
  return openSync(file, 'r')
}

export { LITERAL_LENGTH }
