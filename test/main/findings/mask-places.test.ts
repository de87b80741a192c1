import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { scoped } from '../../support/scoped'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

describe('a key in the name of the place that holds it', () => {
  it('is masked in the scan answer and the command line, while ordinary folder names stay readable', async () => {
    const ctx = await s.ctx()
    const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'held' })
    const held = (await ctx.api.keys.reveal({ keyId: key.id })).secret
    const github = `ghp_${'Q1w2E3r4T5'.repeat(3)}y6U7i8`
    const root = join(ctx.home, 'work', 'rollout-2026-01-01T10-00-00')
    const folder = join(root, github)
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, '.env'), `TOKEN=${github}\n`)
    await writeFile(
      join(root, '.mcp.json'),
      JSON.stringify({
        mcpServers: { [held]: { type: 'http', url: 'https://x.example/mcp', headers: { Authorization: `Bearer ${github}` } } }
      })
    )
    const scan = await ctx.api.findings.scan({ folders: [root], history: false, transcripts: false })
    const text = JSON.stringify(scan)
    expect(scan.findings.length).toBeGreaterThanOrEqual(2)
    for (const secret of [github, held]) expect(text).not.toContain(secret.slice(8))
    expect(text).toContain('rollout-2026-01-01T10-00-00')
    const cli = await cliIn(ctx, 'scan', '--json', '--no-history', '--no-transcripts', root)
    const plain = await cliIn(ctx, 'scan', '--no-history', '--no-transcripts', root)
    for (const out of [cli.out, plain.out]) for (const secret of [github, held]) expect(out).not.toContain(secret.slice(8))
  })
})
