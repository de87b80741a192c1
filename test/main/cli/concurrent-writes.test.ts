import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

const exec = promisify(execFile)
const CLI = resolve('out/cli/keywarden.cjs')
type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

describe('several Keywarden writers of one config file at once', () => {
  it('every entry a command says it added is in the file and recorded; the others are refused, and nothing is left behind', async () => {
    const c = await testContext()
    open.push(c)
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'shared' })
    const home = join(c.root, 'home')
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') }
    // Six terminals, each previewing and writing its own entry into the same ~/.claude.json.
    const runs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) =>
        exec(
          process.execPath,
          [
            CLI,
            'inject',
            key.id,
            '--client',
            'claude-code',
            '--placement',
            'helper',
            '--name',
            `race${i}`,
            '--yes',
            '--data-dir',
            c.ctx.dataDir
          ],
          { env, timeout: 60_000 }
        ).then(
          () => ({ name: `race${i}`, code: 0, err: '' }),
          (e: { code: number; stderr: string }) => ({ name: `race${i}`, code: e.code, err: e.stderr })
        )
      )
    )
    const added = runs.filter((r) => r.code === 0).map((r) => r.name)
    expect(added.length).toBeGreaterThan(0)
    for (const refused of runs.filter((r) => r.code !== 0)) expect(refused.err).toMatch(/changed since the preview/)
    const inFile = Object.keys(JSON.parse(await readFile(join(home, '.claude.json'), 'utf8')).mcpServers as object).sort()
    expect(inFile).toEqual([...added].sort())
    const recorded = c.ctx.services.bindings
      .list()
      .map((b) => b.serverName)
      .sort()
    expect(recorded).toEqual([...added].sort())
    // No temp file beside the config, and no lock left in Keywarden's data folder.
    expect((await readdir(home)).filter((f) => f.includes('.kw-') || f.endsWith('.lock'))).toEqual([])
    expect(await readdir(join(c.ctx.dataDir, 'write-locks'))).toEqual([])
  }, 120_000)
})
