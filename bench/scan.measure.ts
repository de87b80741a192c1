import { execFile, execFileSync } from 'node:child_process'
import { randomBytes, randomUUID, createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { KEY_SHAPES } from '../src/main/findings/key-shapes'
import { scanForKeys } from '../src/main/findings/scan'
import { buildVaultIndex } from '../src/main/findings/vault-index'
import { makeKey, random } from '../test/main/findings/planted'
import { report } from './report'

const exec = promisify(execFile)
const TARGET_BYTES = Number(process.env['KEYWARDEN_SCAN_BENCH_MB'] ?? 1024) * 1024 * 1024

/** ripgrep, installed from Debian's packages when missing; undefined when it cannot be had. */
function ripgrep(): string | undefined {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim() || undefined
    } catch {
      return undefined
    }
  }
  if (found()) return found()
  try {
    execFileSync('sh', ['-c', 'apt-get install -y -qq ripgrep >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq ripgrep)'], {
      stdio: 'ignore',
      timeout: 300_000
    })
  } catch {
    return undefined
  }
  return found()
}

/** Lines as AI transcripts and shell history hold them: prose, code, ids, hashes, pasted images. */
function linePool(): string[] {
  const words =
    'the of and to in is you that it for on are with as be this have from or by not what all were when can there use an each which do how if will up other about out then them so some would make like into time has look more write see number way could people than first been call who find long down day did get come made may part refactor module test build deploy function const return await async import export default class interface type string task risk desk mask'.split(
      ' '
    )
  const prose = (n: number) => Array.from({ length: n }, () => words[Math.floor(Math.random() * words.length)]).join(' ')
  const pool: string[] = []
  for (let i = 0; i < 6000; i++) {
    const kind = i % 10
    let content = prose(20 + Math.floor(Math.random() * 200))
    if (kind === 0) content += ` commit ${createHash('sha1').update(randomBytes(8)).digest('hex')}`
    if (kind === 1) content += ` data:image/png;base64,${randomBytes(600 + Math.floor(Math.random() * 6000)).toString('base64')}`
    if (kind === 2)
      content += `\nsha256:${createHash('sha256').update(randomBytes(8)).digest('hex')}\n  at run (/home/dev/src/app/task-runner.ts:12:5)`
    if (kind === 3) content += ` eyJhbGciOiJIUzI1NiJ9.${randomBytes(60).toString('base64url')}.${randomBytes(32).toString('base64url')}`
    pool.push(
      JSON.stringify({
        parentUuid: randomUUID(),
        sessionId: randomUUID(),
        cwd: '/home/dev/src/app',
        gitBranch: 'main',
        type: kind % 2 ? 'user' : 'assistant',
        message: { role: 'user', content },
        uuid: randomUUID(),
        timestamp: new Date(1.7e12 + Math.random() * 1e10).toISOString()
      })
    )
  }
  return pool
}

async function generateHome(root: string, planted: string[]): Promise<{ files: number; bytes: number; plantedCount: number }> {
  const pool = linePool()
  let bytes = 0
  let files = 0
  let plantedAt = 0
  const history = Array.from(
    { length: 20000 },
    (_, i) => `: ${1700000000 + i}:0;git commit -m "step ${i}" && npm test -- --task-id ${randomUUID()}`
  )
  for (const name of ['.zsh_history', '.bash_history']) {
    const text = `${history.join('\n')}\n: 1700999999:0;export OPENAI_API_KEY=${planted[plantedAt++]}\n`
    await writeFile(join(root, name), text)
    bytes += text.length
    files++
  }
  while (bytes < TARGET_BYTES) {
    const dir =
      files % 3 === 0
        ? join(root, '.codex', 'sessions', '2026', String(1 + (files % 12)).padStart(2, '0'), '01')
        : join(root, '.claude', 'projects', `-home-dev-src-p${files % 50}`)
    await mkdir(dir, { recursive: true })
    const target = 256 * 1024 + Math.floor(Math.random() * 4 * 1024 * 1024)
    const lines: string[] = []
    let size = 0
    while (size < target) {
      const line = pool[Math.floor(Math.random() * pool.length)]!
      lines.push(line)
      size += line.length + 1
    }
    if (files % 25 === 0 && plantedAt < planted.length)
      lines.splice(lines.length >> 1, 0, JSON.stringify({ content: `key:\n${planted[plantedAt++]}` }))
    const text = `${lines.join('\n')}\n`
    await writeFile(join(dir, `${randomUUID()}.jsonl`), text)
    bytes += text.length
    files++
  }
  return { files, bytes, plantedCount: plantedAt }
}

it('scans a home with 1 GB of transcripts and history, vs ripgrep over the same files for the same strings', async () => {
  const rg = ripgrep()
  if (!rg) {
    console.log('[bench] scan: skipped — ripgrep (rg) is not installed and could not be installed from Debian packages')
    return
  }
  const root = await mkdtemp(join(tmpdir(), 'kw-scan-bench-'))
  try {
    const held = [makeKey.sandbox(), random(40), makeKey.lyceum(), makeKey.vibexp(), random(32)]
    const planted = [
      ...held,
      ...Array.from({ length: 20 }, () => makeKey.openaiProject()),
      ...Array.from({ length: 20 }, () => makeKey.github())
    ]
    const { files, bytes, plantedCount } = await generateHome(root, planted)
    const values = new Map(held.map((v, i) => [`k${i}`, v]))
    const index = await buildVaultIndex({
      keys: held.map((v, i) => ({
        id: `k${i}`,
        providerId: 'p',
        name: `key ${i}`,
        prefix: v.slice(0, 8),
        status: 'active' as const,
        inVault: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        addedAt: '2026-01-01T00:00:00.000Z'
      })),
      providers: [],
      readValue: async (id) => values.get(id) ?? null,
      fpKey: randomBytes(32)
    })
    // The same fixed strings for both: every service prefix and the first characters of each held key.
    const literals = [...new Set([...KEY_SHAPES.map((s) => s.prefix), ...index.literals.keys()])]
    const rgArgs = ['-F', '-c', '--no-ignore', '--hidden', '--no-messages', ...literals.flatMap((l) => ['-e', l]), root]
    const runRg = async () => {
      const t = performance.now()
      await exec(rg, rgArgs, { maxBuffer: 64 * 1024 * 1024 }).catch((e: { code?: number }) => {
        if (e.code !== 1) throw e
      })
      return performance.now() - t
    }
    let found = 0
    const runOurs = async () => {
      const t = performance.now()
      const result = await scanForKeys({ home: root, platform: 'linux', env: {}, locations: [] }, { index })
      found = result.findings.length
      expect(result.bytes).toBe(bytes)
      return performance.now() - t
    }
    // Warm the page cache and both programs once, then alternate so a busy machine slows both alike.
    await runRg()
    await runOurs()
    const ours: number[] = []
    const theirs: number[] = []
    for (let round = 0; round < 5; round++) {
      theirs.push(await runRg())
      ours.push(await runOurs())
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const oursMs = mid(ours)
    const rgMs = mid(theirs)
    expect(found).toBe(plantedCount)
    report(`scan ${(bytes / 1048576).toFixed(0)} MB in ${files} files (transcripts, history)`, {
      value: oursMs,
      baseline: rgMs,
      unit: 'ms',
      target: '≤ 1.5× rg',
      note: `${Math.round(files / (oursMs / 1000))} files/s, ${Math.round(bytes / 1048576 / (oursMs / 1000))} MB/s (rg ${Math.round(bytes / 1048576 / (rgMs / 1000))} MB/s); ${found} planted keys found`
    })
  } finally {
    await rm(root, { recursive: true, force: true })
  }
})
