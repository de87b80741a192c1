import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { Finding, FindingState, ScanProgress, ScanResult } from '../../shared/findings'
import { configContext } from './config-context'
import { createFileScanner, type RawHit } from './file-scan'
import { gitExposure, type RunGit } from './git-exposure'
import { rate } from './severity'
import { collectFiles, type ScanFile, type ScanSkip, type ScanTargets } from './targets'
import type { VaultIndex } from './vault-index'

export interface ScanOptions {
  index: VaultIndex
  onProgress?: (progress: ScanProgress) => void
  /** How git is asked whether a file is tracked (tests pass their own; default: the git on PATH). */
  runGit?: RunGit
  maxFileBytes?: number
}

/** Finds every copy of a key in the places `targets` names. Reads only; writes nothing anywhere. */
export async function scanForKeys(targets: ScanTargets, options: ScanOptions): Promise<ScanResult> {
  const { files, skipped } = await collectFiles(targets)
  return scanFiles(files, skipped, options)
}

/** Scans a list of files already collected (the benchmark and `scan <paths>` use this directly). */
export async function scanFiles(files: ScanFile[], skipped: ScanSkip[], options: ScanOptions): Promise<ScanResult> {
  const started = performance.now()
  const scanner = createFileScanner(options.index, { maxFileBytes: options.maxFileBytes })
  const bytesTotal = files.reduce((s, f) => s + f.size, 0)
  const progress: ScanProgress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal }
  let lastReport = 0
  const report = (force = false) => {
    const now = performance.now()
    if (!options.onProgress || (!force && now - lastReport < 50)) return
    lastReport = now
    options.onProgress({ ...progress })
  }
  report(true)
  const found: Array<{ file: ScanFile; hits: RawHit[] }> = []
  let bytes = 0
  for (const file of files) {
    const before = progress.bytesDone
    const outcome = await scanner.scan(file.path, file.size, (done) => {
      progress.bytesDone = before + done
      report()
    })
    bytes += outcome.bytes
    progress.filesDone++
    progress.bytesDone = before + file.size
    report()
    if ('skipped' in outcome) skipped.push({ file: file.path, reason: outcome.skipped })
    else if (outcome.hits.length) found.push({ file, hits: outcome.hits })
  }
  report(true)
  const exposure = await gitExposure(
    found.map((f) => f.file.path),
    options.runGit
  )
  const findings: Finding[] = []
  for (const { file, hits } of found) {
    const positions = lineColumns(
      file.path,
      hits.map((h) => h.offset)
    )
    const text = file.source === 'client-config' || file.source === 'mcp-config' ? await readFile(file.path) : undefined
    hits.forEach((hit, i) => {
      const { line, column } = positions[i]!
      const state: FindingState = hit.key ? hit.key.status : 'unknown'
      const where = exposure.get(file.path) ?? {}
      const { severity, reasons } = rate({ state, source: file.source, exposure: where })
      if (hit.match === 'prefix') reasons.push(`starts like "${hit.key!.name}", whose value this vault does not hold`)
      findings.push({
        id: createHash('sha256').update(`${file.path}\0${line}\0${column}\0${hit.fingerprint}`).digest('hex').slice(0, 20),
        source: file.source,
        file: file.path,
        line,
        column,
        offset: hit.offset,
        masked: hit.masked,
        fingerprint: hit.fingerprint,
        length: hit.length,
        key: hit.key && hit.match ? { id: hit.key.id, name: hit.key.name, match: hit.match } : undefined,
        service: hit.key?.service ?? hit.shape?.service,
        state,
        severity,
        reasons,
        exposure: where,
        config: text ? configContext(text.toString('utf8'), charOffset(text, hit.offset), file.path, file.locations) : undefined
      })
    })
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line)
  return { findings, skipped, files: files.length, bytes, ms: performance.now() - started }
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const

const charOffset = (buf: Buffer, byteOffset: number) => buf.subarray(0, byteOffset).toString('utf8').length

/** Line and column (1-based, in characters) of each byte offset, counting newlines in one pass. */
export function lineColumns(file: string, offsets: number[]): Array<{ line: number; column: number }> {
  const order = offsets.map((o, i) => [o, i] as const).sort((a, b) => a[0] - b[0])
  const out: Array<{ line: number; column: number }> = new Array(offsets.length)
  const fd = openSync(file, 'r')
  const buf = Buffer.allocUnsafe(1 << 16)
  let pos = 0
  let line = 1
  let lineStart = 0
  let pending: Buffer[] = []
  let next = 0
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos)
      if (n === 0) break
      const chunk = buf.subarray(0, n)
      let i = 0
      while (next < order.length) {
        const target = order[next]![0]
        const nl = chunk.indexOf(10, i)
        if (nl !== -1 && pos + nl < target) {
          line++
          lineStart = pos + nl + 1
          pending = []
          i = nl + 1
          continue
        }
        if (target >= pos + n) break
        const head = Buffer.concat([...pending, chunk.subarray(Math.max(0, lineStart - pos), target - pos)])
        out[order[next]![1]] = { line, column: head.toString('utf8').length + 1 }
        next++
      }
      if (next >= order.length) break
      // Keep the current line's start when it began in this chunk, for the column of a later hit.
      if (lineStart >= pos) pending = [Buffer.from(chunk.subarray(lineStart - pos))]
      else pending.push(Buffer.from(chunk))
      if (pending.reduce((s, b) => s + b.length, 0) > 1 << 20) pending = [] // columns past 1 MB of one line are approximate
      pos += n
    }
  } finally {
    closeSync(fd)
  }
  return out.map((p) => p ?? { line, column: 1 })
}
