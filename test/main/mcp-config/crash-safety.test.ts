import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { createBackupStore } from '../../../src/main/mcp-config/files/backups'
import { applyPlan, planSetHeader } from '../../../src/main/mcp-config/plan'

let writer: string

// The child runs Keywarden's own write path (plan + atomic apply), bundled for plain Node.
beforeAll(async () => {
  // Inside the project so the bundle resolves its dependencies from node_modules.
  const out = resolve('node_modules/.cache/keywarden-crash-writer')
  await mkdir(out, { recursive: true })
  await writeFile(
    join(out, 'entry.ts'),
    `import { planSetHeader, applyPlan } from ${JSON.stringify(resolve('src/main/mcp-config/plan.ts'))}
import { createBackupStore } from ${JSON.stringify(resolve('src/main/mcp-config/files/backups.ts'))}
const [file, data] = process.argv.slice(2)
const location = { client: 'cursor', scope: 'global', label: 'Cursor', file, container: ['mcpServers'], format: 'jsonc' }
const backups = createBackupStore(data)
process.send?.('ready')
for (let i = 1; ; i++) {
  const plan = await planSetHeader(location, 'svc', 'Authorization', 'Bearer sbx_' + String(i).padStart(48, '0'))
  await applyPlan(plan, backups)
}
`
  )
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: join(out, 'entry.ts'),
      outDir: join(out, 'dist'),
      write: true,
      rollupOptions: { output: { format: 'es', entryFileNames: 'writer.mjs' } }
    }
  })
  writer = join(out, 'dist', 'writer.mjs')
}, 60_000)

describe('crash safety of config writes', () => {
  it('leaves a file that parses and is exactly an old or a new version after SIGKILL at random moments', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kw-crash-'))
    const file = join(dir, 'mcp.json')
    const padding = Array.from({ length: 300 }, (_, i) => `    "other-${i}": { "url": "https://example.com/${i}" }`).join(',\n')
    await writeFile(
      file,
      `{\n  // a commented config\n  "mcpServers": {\n${padding},\n    "svc": { "url": "https://svc.example", "headers": { "Authorization": "Bearer sbx_${'0'.repeat(48)}" } }\n  }\n}\n`
    )
    const template = await readFile(file, 'utf8')
    const expected = (n: number) => template.replace(`sbx_${'0'.repeat(48)}`, `sbx_${String(n).padStart(48, '0')}`)
    let rounds = 0
    let last = 0
    for (; rounds < 25; rounds++) {
      const child = spawn(process.execPath, [writer, file, join(dir, 'data')], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
      let stderr = ''
      child.stderr?.on('data', (d) => (stderr += d))
      await new Promise((ok, fail) => {
        child.once('message', ok)
        child.once('exit', () => fail(new Error(`writer exited early: ${stderr}`)))
      })
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 120))
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      const text = await readFile(file, 'utf8')
      const n = Number(/sbx_(\d{48})/.exec(text)?.[1])
      expect(Number.isInteger(n)).toBe(true)
      // Each child starts again from 1, so the version is whatever that child wrote last.
      expect(text).toBe(expected(n))
      last = n
    }
    expect(rounds).toBe(25)
    expect(last).toBeGreaterThan(0)

    // A writer killed mid-write may leave its temp copy (holding a key) beside the file; the next
    // write clears them, so no stray copy of the key stays behind.
    await writeFile(`${file}.1234567890`, expected(999))
    const location = {
      client: 'cursor' as const,
      scope: 'global',
      label: 'Cursor',
      file,
      container: ['mcpServers'],
      format: 'jsonc' as const
    }
    await applyPlan(
      await planSetHeader(location, 'svc', 'Authorization', `Bearer sbx_${'7'.repeat(48)}`),
      createBackupStore(join(dir, 'data'))
    )
    expect((await readdir(dir)).sort()).toEqual(['data', 'mcp.json'])
  }, 120_000)
})
