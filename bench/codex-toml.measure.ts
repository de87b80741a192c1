import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse, stringify } from 'smol-toml'
import { expect, it } from 'vitest'
import { createBackupStore } from '../src/main/mcp-config/files/backups'
import { applyPlan, planAdd, undoChange } from '../src/main/mcp-config/plan'
import { locationFor } from '../src/main/mcp-config/clients'
import { testContext } from '../test/support/context'
import { report } from './report'

/** A config.toml of someone who has used Codex for a year: hundreds of trusted projects, dozens of servers, comments. */
function bigConfigToml(): string {
  const lines = ['# Codex settings', 'model = "gpt-5"', 'approval_policy = "on-request"', '']
  for (let i = 0; i < 400; i++) lines.push(`[projects."/home/dev/src/project-${i}"]`, 'trust_level = "trusted"', '')
  for (let i = 0; i < 60; i++) {
    lines.push(`# server ${i}`, `[mcp_servers.server-${i}]`, 'command = "npx"', 'args = [', '  "-y",', `  "@acme/mcp-${i}",`, ']')
    lines.push(`env = { LOG_LEVEL = "info", INDEX = "${i}" }`, '')
  }
  lines.push('[tui]', 'notifications = true', '')
  return lines.join('\n')
}

it('adding one server to a large config.toml (splice) and undoing it, vs parse/stringify/write (which drops every comment)', async () => {
  const { ctx } = await testContext()
  const home = join(ctx.home, 'bench')
  const location = locationFor({ home, platform: 'linux', env: {} }, 'codex', 'user')!
  await mkdir(join(home, '.codex'), { recursive: true })
  const original = bigConfigToml()
  const backups = createBackupStore(join(ctx.dataDir, 'bench'), ctx.secrets)
  const spec = {
    name: 'keywarden-sandbox',
    url: 'http://127.0.0.1:4870/mcp',
    header: { name: 'Authorization', scheme: 'Bearer' as const },
    placement: 'helper' as const,
    helperCommand: 'keywarden mcp-headers b1'
  }
  const ours: number[] = []
  const undo: number[] = []
  const naive: number[] = []
  // Rounds alternate ours and the baseline, so a busy machine slows both alike.
  for (let round = 0; round < 11; round++) {
    await writeFile(location.file, original)
    let t = performance.now()
    const id = await applyPlan(await planAdd(location, spec), backups)
    if (round > 0) ours.push(performance.now() - t)
    t = performance.now()
    await undoChange(id, backups)
    if (round > 0) undo.push(performance.now() - t)
    expect(await readFile(location.file, 'utf8')).toBe(original)

    t = performance.now()
    const data = parse(await readFile(location.file, 'utf8')) as { mcp_servers: Record<string, unknown> }
    data.mcp_servers[spec.name] = { url: spec.url, http_headers_helper: spec.helperCommand }
    await writeFile(location.file, stringify(data))
    if (round > 0) naive.push(performance.now() - t)
  }
  const mid = (runs: number[]) => runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!
  const size = `${(original.length / 1024).toFixed(0)} KB`
  report(`add one server to a ${size} config.toml`, {
    value: mid(ours),
    baseline: mid(naive),
    unit: 'ms',
    note: 'baseline loses every comment'
  })
  report(`undo it, back to the exact bytes`, { value: mid(undo), baseline: mid(naive), unit: 'ms' })
}, 120_000)
