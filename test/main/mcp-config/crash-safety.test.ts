import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { createBackupStore } from '../../../src/main/mcp-config/files/backups'
import { applyPlan, planSetHeader } from '../../../src/main/mcp-config/plan'
import { parseConfig } from '../../../src/main/mcp-config/document/jsonc-file'
import { createKeytarStore } from '../../../src/main/vault/secret-store'
import { tempFolder } from '../../support/temp-folder'

/**
 * Writers are started and killed until at least this many writes were made between kills (and at
 * least MIN_KILLS kills): every kill lands somewhere in Keywarden's write path, since the writer
 * does nothing else.
 */
const MIN_WRITES = Number(process.env['KEYWARDEN_CRASH_WRITES'] ?? 200)
const MIN_KILLS = Number(process.env['KEYWARDEN_CRASH_KILLS'] ?? 60)
let writer: string

// The child runs Keywarden's own write path (plan + encrypted backup + atomic apply), bundled for plain Node.
beforeAll(async () => {
  // Inside the project so the bundle resolves its dependencies from node_modules.
  const out = resolve('node_modules/.cache/keywarden-crash-writer')
  await mkdir(out, { recursive: true })
  await writeFile(
    join(out, 'entry.ts'),
    `import { planSetHeader, applyPlan } from ${JSON.stringify(resolve('src/main/mcp-config/plan.ts'))}
import { createBackupStore } from ${JSON.stringify(resolve('src/main/mcp-config/files/backups.ts'))}
import { createKeytarStore } from ${JSON.stringify(resolve('src/main/vault/secret-store.ts'))}
const [file, data, service, start] = process.argv.slice(2)
const location = { client: 'cursor', scope: 'global', label: 'Cursor', file, container: ['mcpServers'] }
const backups = createBackupStore(data, createKeytarStore({ service }))
await backups.recover()
process.send?.('ready')
for (let i = Number(start); ; i++) {
  const plan = await planSetHeader(location, 'svc', 'Authorization', 'Bearer sbx_' + String(i).padStart(48, '0'))
  await applyPlan(plan, backups)
  process.send?.(i)
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
  it(`leaves no corrupt file, nothing uncleaned and no user file touched when writers are killed at random during ${MIN_WRITES}+ writes`, async () => {
    const dir = await tempFolder('kw-crash-')
    const data = join(dir, 'data')
    const config = join(dir, 'home')
    await mkdir(config)
    const file = join(config, 'mcp.json')
    const service = `Keywarden crash ${randomUUID()}`
    const padding = Array.from({ length: 300 }, (_, i) => `    "other-${i}": { "url": "https://example.com/${i}" }`).join(',\n')
    await writeFile(
      file,
      `{\n  // a commented config\n  "mcpServers": {\n${padding},\n    "svc": { "url": "https://svc.example", "headers": { "Authorization": "Bearer sbx_${'0'.repeat(48)}" } }\n  }\n}\n`
    )
    // The person's own files beside the config, named as a careless sweep would take for temp files.
    const userFiles: Record<string, string> = {
      'mcp.json.1': 'my copy',
      'mcp.json.20260101': 'dated copy',
      'mcp.json.3735928559': 'numbered copy',
      'mcp.json.bak': 'backup of mine',
      'mcp.json.tmp': 'scratch'
    }
    for (const [name, text] of Object.entries(userFiles)) await writeFile(join(config, name), text)
    const template = await readFile(file, 'utf8')
    const expected = (n: number) => template.replace(`sbx_${'0'.repeat(48)}`, `sbx_${String(n).padStart(48, '0')}`)

    let corrupt = 0
    let completed = 0
    let next = 1
    const started = performance.now()
    let kills = 0
    for (; kills < MIN_KILLS || completed < MIN_WRITES; kills++) {
      const child = spawn(process.execPath, [writer, file, data, service, String(next)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
      let stderr = ''
      child.stderr?.on('data', (d) => (stderr += d))
      child.on('message', (m) => {
        if (typeof m === 'number') {
          completed++
          next = m + 1
        }
      })
      await new Promise((ok, fail) => {
        child.once('message', ok)
        child.once('exit', () => fail(new Error(`writer exited early: ${stderr}`)))
      })
      // Anywhere in the loop: planning, sealing the backup, the temp file, the rename, the index.
      await new Promise((r) => setTimeout(r, Math.random() * 400))
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      next += 1000
      const text = await readFile(file, 'utf8')
      const n = Number(/sbx_(\d{48})/.exec(text)?.[1])
      let ok = Number.isInteger(n) && text === expected(n)
      try {
        parseConfig(text, file, 'Cursor')
      } catch {
        ok = false
      }
      if (!ok) corrupt++
    }
    const seconds = (performance.now() - started) / 1000

    // The next start cleans what the killed writers left; one more write goes through.
    const backups = createBackupStore(data, createKeytarStore({ service }))
    await backups.recover()
    const last = await applyPlan(
      await planSetHeader(
        { client: 'cursor', scope: 'global', label: 'Cursor', file, container: ['mcpServers'] },
        'svc',
        'Authorization',
        `Bearer sbx_${'7'.repeat(48)}`
      ),
      backups
    )
    const listed = new Set((await backups.list()).map((c) => c.id))

    const beside = (await readdir(config)).filter((f) => f !== 'mcp.json' && !(f in userFiles))
    const backupDir = await readdir(join(data, 'backups'))
    const unindexed = backupDir.filter((f) => f !== 'index.json' && !(f.endsWith('.kwb') && listed.has(f.slice(0, -4))))
    const ledger = await readdir(join(data, 'temp-files')).catch(() => [])
    // A killed writer's lock is taken over by the next writer of that file, and let go after it.
    const locks = await readdir(join(data, 'write-locks')).catch(() => [])
    const dataLeft = (await readdir(data)).filter((f) => !['backups', 'temp-files', 'write-locks'].includes(f))
    const left = beside.length + unindexed.length + ledger.length + locks.length + dataLeft.length
    let touched = 0
    for (const [name, text] of Object.entries(userFiles))
      if ((await readFile(join(config, name), 'utf8').catch(() => '')) !== text) touched++

    console.log(
      `[crash] ${kills} writers killed at random moments during ${completed + kills} writes (${completed} completed between kills, ${seconds.toFixed(1)} s): ` +
        `${corrupt} corrupt files, ${left} files left that Keywarden did not clean, ${touched} user files touched; ${listed.size} changes indexed${left ? `; left: ${[...beside, ...unindexed, ...ledger, ...locks, ...dataLeft].join(', ')}` : ''}`
    )
    expect({ corrupt, left, touched, leftFiles: [...beside, ...unindexed, ...ledger, ...locks, ...dataLeft] }).toEqual({
      corrupt: 0,
      left: 0,
      touched: 0,
      leftFiles: []
    })
    expect(listed.has(last)).toBe(true)
    expect(completed).toBeGreaterThan(0)
  }, 240_000)
})
