import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPrefilter, jsPrefilter, type Prefilter } from '../../../src/main/findings/prefilter'
import { KEY_SHAPES } from '../../../src/main/findings/key-shapes'
import { random } from './planted'

function findAll(p: Prefilter, text: Buffer): string[] {
  p.bytes.set(text, p.inputStart)
  const hits: string[] = []
  p.find(p.inputStart, p.inputStart + text.length, p.inputStart + text.length, (start, literal) =>
    hits.push(`${start - p.inputStart}:${literal}`)
  )
  return hits.sort()
}

describe('the scan prefilter', () => {
  it('is the SIMD kernel assembled from prefilter.wat, as committed', () => {
    execFileSync(process.execPath, [resolve(import.meta.dirname, '../../../scripts/build-prefilter.mjs'), '--check'])
    expect(createPrefilter(['abc']).engine).toBe('simd')
  })

  it('finds exactly what a plain byte-by-byte search finds, literal by literal', () => {
    const literals = [...new Set([...KEY_SHAPES.map((s) => s.prefix), random(8), random(8), 'aaa', 'a-b'])]
    const simd = createPrefilter(literals, 70000)
    const plain = jsPrefilter(
      literals.map((l) => Buffer.from(l, 'latin1')),
      70000
    )
    for (let round = 0; round < 20; round++) {
      // Random bytes with literals sprinkled in, overlapping and at both ends.
      const parts: string[] = []
      let size = 0
      while (size < 60000) {
        const part =
          Math.random() < 0.3
            ? literals[Math.floor(Math.random() * literals.length)]!
            : randomBytes(1 + Math.floor(Math.random() * 40)).toString('latin1')
        parts.push(part)
        size += part.length
      }
      const text = Buffer.from(parts.join(''), 'latin1')
      const expected = findAll(plain, text)
      expect(expected.length).toBeGreaterThan(1000)
      expect(findAll(simd, text)).toEqual(expected)
    }
  })
})
