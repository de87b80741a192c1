import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, it } from 'vitest'
import { report } from './report'

it('renderer JavaScript size, gzipped', async () => {
  const dir = 'out/renderer/assets'
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js'))
  expect(files.length).toBeGreaterThan(0)
  let raw = 0
  let gz = 0
  for (const f of files) {
    const bytes = await readFile(join(dir, f))
    raw += bytes.length
    gz += gzipSync(bytes, { level: 9 }).length
  }
  report('renderer JS gzipped', {
    value: gz / 1024,
    unit: 'KB',
    target: '≤ 200 KB',
    note: `${(raw / 1024).toFixed(0)} KB before gzip, ${files.length} file(s)`
  })
})
