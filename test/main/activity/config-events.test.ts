import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { readActivity } from '../../../src/main/activity/activity-read'
import { scoped } from '../../support/scoped'

const exec = promisify(execFile)
const s = scoped({ sandbox: 'start', timeoutMs: 5000 })
const CLI = resolve(import.meta.dirname, '../../../out/cli/keywarden.cjs')

describe('config writes and undos in the activity log', () => {
  it('records each once, whichever way it was made: added, removed, undone, repaired, secured, from the window and the command line', async () => {
    const ctx = await s.ctx()
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'config events' })
    await mkdir(ctx.home, { recursive: true })

    // Added, removed, the removal undone.
    const preview = await ctx.api.bindings.preview({
      keyId: key.id,
      client: 'cursor',
      scope: 'global',
      placement: 'bridge',
      serverName: 'kw-c'
    })
    const added = await ctx.api.bindings.apply({ planId: preview.planId })
    const removed = await ctx.api.bindings.remove({ bindingId: added.binding.id })
    if (!('changeId' in removed)) throw new Error(`the entry was written, so its removal is a change: ${removed.message}`)
    await ctx.api.changes.undo({ changeId: removed.changeId })

    // Claude Code drops the entry; the window writes it back.
    const helper = await ctx.api.bindings.apply({
      planId: (
        await ctx.api.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'helper', serverName: 'kw-h' })
      ).planId
    })
    const claudeFile = join(ctx.home, '.claude.json')
    const claude = JSON.parse(await readFile(claudeFile, 'utf8'))
    delete claude.mcpServers['kw-h']
    claude.mcpServers['pasted'] = { type: 'http', url: ctx.services.sandbox!.mcpUrl, headers: { Authorization: `Bearer ${secret}` } }
    await writeFile(claudeFile, JSON.stringify(claude, null, 2))
    await ctx.api.bindings.repair({ planId: (await ctx.api.bindings.repairPreview({ bindingId: helper.binding.id })).planId })

    // The key pasted by hand into Claude Code: secured, then undone through the findings; the
    // change list does not know it, so undoing it there is refused and logs nothing.
    const scan = await ctx.api.findings.scan({ history: false, transcripts: false })
    const pasted = scan.findings.find((f) => f.config?.serverName === 'pasted')!
    const [secured] = await ctx.api.findings.secure({ findingIds: [pasted.id], confirmRedaction: false })
    await ctx.api.findings.undo({ changeId: secured!.changeId! })
    await expect(ctx.api.changes.undo({ changeId: secured!.changeId! })).rejects.toThrow(/no longer in the undo history/)

    await ctx.api.keys.copy({ keyId: key.id })

    // The command line, as a person runs it: its own process, in its own name.
    const env = { ...process.env, HOME: ctx.home, KEYWARDEN_DATA_DIR: ctx.dataDir }
    await exec(process.execPath, [CLI, 'inject', key.id, '--client', 'gemini-cli', '--placement', 'bridge', '--name', 'kw-g', '--yes'], {
      env
    })
    await exec(process.execPath, [CLI, 'undo'], { env })

    const { events } = await readActivity(ctx.dataDir, { limit: 5000 })
    const seen = events
      .reverse()
      .filter((e) => e.kind !== 'key.read')
      .map((e) => [e.kind, e.by, e.client ?? '', e.server ?? ''])
    expect(seen).toEqual([
      ['config.write', 'window', 'cursor', 'kw-c'],
      ['config.write', 'window', 'cursor', 'kw-c'],
      ['config.undo', 'window', '', ''],
      ['config.write', 'window', 'claude-code', 'kw-h'],
      ['config.write', 'window', 'claude-code', 'kw-h'],
      ['findings.secure', 'window', 'claude-code', 'pasted'],
      ['config.undo', 'window', 'claude-code', 'pasted'],
      ['key.copy', 'window', '', ''],
      ['config.write', 'cli', 'gemini-cli', 'kw-g'],
      ['config.undo', 'cli', '', '']
    ])
    const details = events.map((e) => e.detail ?? '')
    expect(details.filter((d) => d.includes(removed.changeId))).toEqual([
      expect.stringMatching(/^Remove/),
      expect.stringMatching(/^undid Remove/)
    ])
    expect(details.filter((d) => d.startsWith('Repair: '))).toHaveLength(1)
    expect(JSON.stringify(events)).not.toContain(secret.slice(8))
  }, 120_000)
})
