import { spawn } from 'node:child_process'
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { openMetadataStore } from '../../../src/main/vault/metadata-store'
import { openJournal } from '../../../src/main/rotation/journal'
import { rotationSchema } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

let holder: string

// A process that takes the vault's lock through Keywarden's own code and is killed while holding it.
beforeAll(async () => {
  const out = resolve('node_modules/.cache/keywarden-lock-holder')
  await mkdir(out, { recursive: true })
  await writeFile(
    join(out, 'entry.ts'),
    `import { openSharedFile } from ${JSON.stringify(resolve('src/main/vault/shared-file.ts'))}
const [file] = process.argv.slice(2)
const shared = openSharedFile({ file, initial: {}, initialText: undefined, parse: JSON.parse, serialize: JSON.stringify })
await shared.update(() => {
  process.send?.('locked')
  // Holds the lock until it is killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  return { next: {}, result: undefined }
})
`
  )
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: join(out, 'entry.ts'),
      outDir: join(out, 'dist'),
      write: true,
      rollupOptions: { output: { format: 'es', entryFileNames: 'holder.mjs' } }
    }
  })
  holder = join(out, 'dist', 'holder.mjs')
}, 60_000)

async function killedHolder(file: string): Promise<void> {
  const child = spawn(process.execPath, [holder, file], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  await new Promise((ok, fail) => {
    child.once('message', ok)
    child.once('exit', () => fail(new Error('the holder exited before it took the lock')))
  })
  child.kill('SIGKILL')
  await new Promise((r) => child.once('exit', r))
}

describe('after a process holding the vault lock is killed', () => {
  for (const [name, open] of [
    ['vault.json', async (dir: string) => (await openMetadataStore(dir)).update(() => undefined)],
    [
      'rotations.json',
      async (dir: string) =>
        (await openJournal(dir)).save(
          rotationSchema.parse({
            id: 'r1',
            keyId: 'k1',
            providerId: 'sandbox',
            mode: 'api',
            state: 'planned',
            idempotencyToken: 'token-123456',
            newName: 'k1 · rotated',
            newKeyId: 'k2',
            bindings: [],
            history: [],
            startedAt: '2026-11-22T10:00:00.000Z',
            updatedAt: '2026-11-22T10:00:00.000Z'
          })
        )
    ]
  ] as const) {
    it(`the next change to ${name} goes through at once, not after the lock ages`, async () => {
      const dir = await tempFolder('kw-lock-')
      await killedHolder(join(dir, name))
      expect(await readdir(dir)).toContain(`${name}.lock`)
      const started = performance.now()
      await open(dir)
      const waited = performance.now() - started
      console.log(`[lock] ${name}: the next change waited ${waited.toFixed(0)} ms for a killed holder's lock`)
      expect(waited).toBeLessThan(1000)
      expect(await readdir(dir)).not.toContain(`${name}.lock`)
    })
  }

  it('temp copies of vault.json and rotations.json a killed process left are cleaned at the next start', async () => {
    const dir = await tempFolder('kw-temps-')
    const dead = 2 ** 22 + 17
    const left = [
      `vault.json.kw-${dead}-0123456789ab.tmp`,
      `rotations.json.kw-${dead}-0123456789ab.tmp`,
      'vault.json.3735928559',
      'rotations.json.12'
    ]
    for (const f of left) await writeFile(join(dir, f), '{"keys": []}')
    for (const f of left.slice(2)) await utimes(join(dir, f), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
    await openMetadataStore(dir)
    await openJournal(dir)
    const remaining = await readdir(dir)
    for (const f of left) expect(remaining).not.toContain(f)
  })
})
