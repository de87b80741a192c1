import { PREFILTER_WASM } from './prefilter-wasm'

/**
 * Finds where any of a set of literals (key prefixes) starts in a buffer, at memory speed: a SIMD
 * WebAssembly kernel (prefilter.wat) flags candidate positions by a 3-byte window of each literal,
 * and each candidate is confirmed here byte by byte. The bytes to search are read straight into the
 * module's memory (`bytes`, from `inputStart`), so nothing is copied on the way.
 */
export interface Prefilter {
  readonly bytes: Uint8Array
  readonly inputStart: number
  readonly capacity: number
  /** Which engine runs: the SIMD kernel, or the plain loop where WebAssembly SIMD is missing. */
  readonly engine: 'simd' | 'js'
  /**
   * Calls `hit` for each literal starting in [from, to) whose bytes all lie before `dataEnd`
   * (absolute offsets into `bytes`). The 32 bytes after `dataEnd` are overwritten.
   */
  find(from: number, to: number, dataEnd: number, hit: (start: number, literal: number) => void): void
}

const TABLES = 0
const OUT = 128
const OUT_MAX = 1024
const INPUT = 16384
const PAD = 32

interface Window {
  literal: number
  offset: number
}

/** A rough frequency of each byte in text and code: windows are chosen where it is lowest. */
const FREQ = (() => {
  const f = new Float64Array(256).fill(0.0005)
  for (const c of 'etaoinshrdlu "') f[c.charCodeAt(0)] = 0.06
  for (const c of 'cmfywgpbvk:,./') f[c.charCodeAt(0)] = 0.02
  for (const c of 'jxqz-') f[c.charCodeAt(0)] = 0.006
  for (let c = 48; c <= 57; c++) f[c] = 0.01
  for (let c = 65; c <= 90; c++) f[c] = 0.004
  f[95] = 0.004
  return f
})()

const windowKey = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)

export function createPrefilter(literals: string[], capacity = 65536 + 1024): Prefilter {
  const encoded = literals.map((l) => Buffer.from(l, 'latin1'))
  if (encoded.some((l) => l.length < 3)) throw new Error('Every literal needs at least 3 bytes.')
  const windows = new Map<number, Window[]>()
  let maxOffset = 0
  encoded.forEach((lit, literal) => {
    let offset = 0
    let best = Infinity
    for (let k = 0; k + 3 <= lit.length; k++) {
      const f = FREQ[lit[k]!]! * FREQ[lit[k + 1]!]! * FREQ[lit[k + 2]!]!
      if (f < best) [best, offset] = [f, k]
    }
    const key = windowKey(lit, offset)
    const list = windows.get(key) ?? []
    list.push({ literal, offset })
    windows.set(key, list)
    maxOffset = Math.max(maxOffset, offset)
  })

  const kernel = instantiate(INPUT + capacity + PAD)
  if (!kernel) return jsPrefilter(encoded, capacity)
  const { memory, scan, resume } = kernel
  const bytes = new Uint8Array(memory.buffer)
  bytes.fill(0, TABLES, TABLES + 96)
  for (const [bucket, keys] of assignBuckets([...windows.keys()]).entries()) {
    for (const key of keys) {
      for (let k = 0; k < 3; k++) {
        const c = (key >> (8 * k)) & 0xff
        bytes[TABLES + k * 32 + (c & 15)]! |= 1 << bucket
        bytes[TABLES + k * 32 + 16 + (c >> 4)]! |= 1 << bucket
      }
    }
  }
  const out = new Int32Array(memory.buffer, OUT, OUT_MAX * 2)

  return {
    bytes,
    inputStart: INPUT,
    capacity,
    engine: 'simd',
    find(from, to, dataEnd, hit) {
      bytes.fill(0, dataEnd, dataEnd + PAD)
      const end = Math.min(to + maxOffset, dataEnd)
      let start = from
      while (start < end) {
        const count = scan(start, end, OUT, OUT_MAX)
        for (let j = 0; j < count; j++) {
          const base = out[j * 2]!
          let lanes = out[j * 2 + 1]!
          while (lanes !== 0) {
            const lane = 31 - Math.clz32(lanes & -lanes)
            lanes &= lanes - 1
            const list = windows.get(windowKey(bytes, base + lane))
            if (list) confirm(bytes, base + lane, list, encoded, from, to, dataEnd, hit)
          }
        }
        if (count < OUT_MAX) break
        start = resume.value as number
      }
    }
  }
}

function confirm(
  bytes: Uint8Array,
  at: number,
  list: Window[],
  literals: Buffer[],
  from: number,
  to: number,
  dataEnd: number,
  hit: (start: number, literal: number) => void
) {
  for (const { literal, offset } of list) {
    const start = at - offset
    const lit = literals[literal]!
    if (start < from || start >= to || start + lit.length > dataEnd) continue
    let k = 0
    while (k < lit.length && bytes[start + k] === lit[k]) k++
    if (k === lit.length) hit(start, literal)
  }
}

/** Spreads windows over 8 buckets so that the nibble tables let through as little else as possible. */
function assignBuckets(keys: number[]): number[][] {
  const buckets = Array.from({ length: 8 }, () => ({ keys: [] as number[], lo: [0, 0, 0], hi: [0, 0, 0] }))
  const accepted = (lo: number[], hi: number[]) => {
    let p = 1
    for (let k = 0; k < 3; k++) {
      let s = 0
      for (let l = 0; l < 16; l++) if (lo[k]! & (1 << l)) for (let h = 0; h < 16; h++) if (hi[k]! & (1 << h)) s += FREQ[h * 16 + l]!
      p *= s
    }
    return p
  }
  for (const key of [...keys].sort((a, b) => b - a)) {
    let chosen = 0
    let least = Infinity
    buckets.forEach((b, i) => {
      const lo = b.lo.map((m, k) => m | (1 << ((key >> (8 * k)) & 15)))
      const hi = b.hi.map((m, k) => m | (1 << ((key >> (8 * k + 4)) & 15)))
      const cost = accepted(lo, hi) - (b.keys.length ? accepted(b.lo, b.hi) : 0)
      if (cost < least) [least, chosen] = [cost, i]
    })
    const b = buckets[chosen]!
    b.keys.push(key)
    for (let k = 0; k < 3; k++) {
      b.lo[k]! |= 1 << ((key >> (8 * k)) & 15)
      b.hi[k]! |= 1 << ((key >> (8 * k + 4)) & 15)
    }
  }
  return buckets.map((b) => b.keys)
}

interface Kernel {
  memory: WebAssembly.Memory
  scan: (i: number, end: number, out: number, max: number) => number
  resume: WebAssembly.Global
}

function instantiate(bytesNeeded: number): Kernel | undefined {
  for (const build of [PREFILTER_WASM.relaxed, PREFILTER_WASM.plain]) {
    try {
      const module = new WebAssembly.Module(Buffer.from(build, 'base64'))
      const exports = new WebAssembly.Instance(module).exports as unknown as Kernel
      const pages = Math.ceil(bytesNeeded / 65536) - exports.memory.buffer.byteLength / 65536
      if (pages > 0) exports.memory.grow(pages)
      return exports
    } catch {
      // This runtime lacks that SIMD flavour: try the next, then the plain loop.
    }
  }
  return undefined
}

/** The same search without WebAssembly: slower, same answers. */
export function jsPrefilter(literals: Buffer[], capacity: number): Prefilter {
  const bytes = new Uint8Array(INPUT + capacity + PAD)
  const byFirst = new Map<number, number[]>()
  literals.forEach((lit, i) => byFirst.set(lit[0]!, [...(byFirst.get(lit[0]!) ?? []), i]))
  return {
    bytes,
    inputStart: INPUT,
    capacity,
    engine: 'js',
    find(from, to, dataEnd, hit) {
      for (let i = from; i < to; i++) {
        const list = byFirst.get(bytes[i]!)
        if (!list) continue
        for (const literal of list) {
          const lit = literals[literal]!
          if (i + lit.length > dataEnd) continue
          let k = 1
          while (k < lit.length && bytes[i + k] === lit[k]) k++
          if (k === lit.length) hit(i, literal)
        }
      }
    }
  }
}
