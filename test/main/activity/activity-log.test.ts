import { execFile } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { recordActivity } from '../../../src/main/activity/activity-log'
import { readActivity } from '../../../src/main/activity/activity-read'
import { askingClient } from '../../../src/main/activity/parent-process'
import { makeKey } from '../findings/planted'
import { tempFolder } from '../../support/temp-folder'

const exec = promisify(execFile)
const worker = resolve(import.meta.dirname, 'append-worker.ts')

async function logText(dataDir: string): Promise<string> {
  const files = (await readdir(dataDir)).filter((f) => f.startsWith('activity') && f.endsWith('.jsonl'))
  return (await Promise.all(files.map((f) => readFile(join(dataDir, f), 'utf8')))).join('')
}

describe('the activity log', () => {
  it('keeps every line intact when six processes append at once, across rotations, with no key in it', async () => {
    const dataDir = await tempFolder('kw-activity-')
    const keys = Array.from({ length: 6 }, () => makeKey.sandbox())
    const perProcess = 150
    await Promise.all(
      keys.map((key, i) =>
        exec(
          process.execPath,
          ['--import', 'jiti/register', worker, dataDir, i % 2 ? 'bridge' : 'helper', String(perProcess), '60000', key],
          {
            cwd: resolve(import.meta.dirname, '../../..')
          }
        )
      )
    )
    const text = await logText(dataDir)
    const lines = text.split('\n').filter(Boolean)
    expect(lines).toHaveLength(6 * perProcess)
    // Every line parses on its own (none torn or interleaved), and each process's lines are all there once.
    const seen = new Map<number, Set<string>>()
    for (const line of lines) {
      const e = JSON.parse(line) as { pid: number; detail: string }
      seen.set(e.pid, (seen.get(e.pid) ?? new Set()).add(e.detail))
    }
    expect([...seen.values()].map((s) => s.size)).toEqual(Array(6).fill(perProcess))
    expect((await readdir(dataDir)).filter((f) => /^activity\.\d\.jsonl$/.test(f)).length).toBeGreaterThan(0)
    const { events, unreadable } = await readActivity(dataDir, { limit: 5000 })
    expect(unreadable).toBe(0)
    expect(events).toHaveLength(6 * perProcess)
    for (const key of keys) expect(text).not.toContain(key.slice(4))
  })

  it('refuses an event that carries a key value, and writes nothing', async () => {
    const dataDir = await tempFolder('kw-activity-')
    const key = makeKey.github()
    await expect(recordActivity(dataDir, { kind: 'key.reveal', by: 'window', key: { id: 'k1', name: `token ${key}` } })).rejects.toThrow(
      /refused to write a key value \(ghp_…\)/
    )
    await expect(
      recordActivity(
        dataDir,
        { kind: 'key.copy', by: 'window', key: { id: 'k1', name: 'no prefix here' }, detail: 'x' },
        { mustNotContain: ['no prefix'] }
      )
    ).rejects.toThrow(/refused/)
    expect(await readdir(dataDir)).toEqual([])
  })

  it('filters by kind, key, client and time, newest first, and skips lines another program mangled', async () => {
    const dataDir = await tempFolder('kw-activity-')
    const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 10, m)).toISOString()
    await recordActivity(dataDir, { kind: 'key.read', by: 'helper', key: { id: 'a' }, client: 'claude-code', server: 's', at: at(1) })
    await recordActivity(dataDir, { kind: 'config.write', by: 'window', client: 'cursor', file: '/h/.cursor/mcp.json', at: at(2) })
    await writeFile(join(dataDir, 'activity.jsonl'), '{"torn": \n', { flag: 'a' })
    await recordActivity(dataDir, { kind: 'key.read', by: 'bridge', key: { id: 'b' }, client: 'cursor', server: 's', at: at(3) })
    await recordActivity(dataDir, { kind: 'key.reveal', by: 'window', key: { id: 'a' }, at: at(4) })
    const all = await readActivity(dataDir)
    expect(all.events.map((e) => e.at)).toEqual([at(4), at(3), at(2), at(1)])
    expect(all.unreadable).toBe(1)
    expect((await readActivity(dataDir, { kind: 'key.read' })).events.map((e) => e.key?.id)).toEqual(['b', 'a'])
    expect((await readActivity(dataDir, { keyId: 'a' })).events.map((e) => e.kind)).toEqual(['key.reveal', 'key.read'])
    expect((await readActivity(dataDir, { client: 'cursor' })).events).toHaveLength(2)
    expect((await readActivity(dataDir, { since: at(3) })).events).toHaveLength(2)
  })

  it('names the client that started the helper, through the shell it used', async () => {
    const tree: Record<number, { command: string; ppid?: number }> = {
      30: { command: '/bin/sh -c /opt/Keywarden/keywarden mcp-headers b1', ppid: 20 },
      20: { command: 'node /usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', ppid: 1 }
    }
    // The shell's arguments are Keywarden's own command, whatever folder names it holds.
    tree[31] = { command: "/bin/sh -c '/opt/Keywarden/keywarden' mcp-headers b1 --data-dir /home/me/code/cursor-data", ppid: 20 }
    expect(await askingClient(31, async (pid) => tree[pid])).toBe('claude-code')
    expect(await askingClient(30, async (pid) => tree[pid])).toBe('claude-code')
    expect(await askingClient(20, async () => ({ command: '/Applications/Cursor.app/Contents/MacOS/Cursor' }))).toBe('cursor')
    // A parent that is no known client is named by its program (and script, for an interpreter).
    expect(await askingClient(20, async () => ({ command: '/usr/bin/vim notes.md' }))).toBe('vim')
    expect(await askingClient(20, async () => ({ command: 'node --import jiti/register /home/me/code/read-keys.mjs --all' }))).toBe(
      'node read-keys.mjs'
    )
    expect(await askingClient(20, async () => undefined)).toBe('unknown')
    // Keywarden's own check during a rotation says so in the environment it gives the bridge.
    expect(await askingClient(20, async () => tree[20], { KEYWARDEN_ASKED_BY: 'keywarden' })).toBe('keywarden')
    // The real process table: a child started by a program named codex-cli (through sh) finds it.
    const probe = resolve(import.meta.dirname, 'print-client.ts')
    const { stdout } = await exec(
      'bash',
      ['-c', `exec -a codex-cli sh -c '"${process.execPath}" --import jiti/register "${probe}"; true'`],
      {
        cwd: resolve(import.meta.dirname, '../../..')
      }
    )
    expect(stdout.trim()).toBe('codex')
  })
})

describe('the events each part of Keywarden records', () => {
  it('are all valid lines, named and fingerprinted, and read back by key', async () => {
    const { activityEvents: ev } = await import('../../../src/main/activity/events')
    const dataDir = await tempFolder('kw-activity-')
    const key = { id: 'k1', name: 'Work laptop', fingerprint: '0123456789abcdef' }
    const change = { id: 'c1', file: '/h/.claude.json', summary: 'Add "s" to Claude Code (user)', client: 'claude-code' }
    for (const e of [
      ev.keyRead({ id: 'b1', serverName: 's' }, key, 'claude-code', 'helper'),
      ev.keyRead({ id: 'b1', serverName: 's' }, key, 'cursor', 'bridge'),
      { ...ev.configWrite(change), by: 'window' as const },
      { ...ev.configUndo(change), by: 'cli' as const },
      { ...ev.rotationStep({ id: 'r1', state: 'created', keyId: key.id }, key), by: 'window' as const },
      { ...ev.reveal(key), by: 'window' as const },
      { ...ev.copy(key), by: 'window' as const }
    ])
      await recordActivity(dataDir, e)
    const { events } = await readActivity(dataDir, { keyId: 'k1' })
    expect(events.map((e) => `${e.kind}/${e.by}/${e.client ?? ''}`).sort()).toEqual([
      'key.copy/window/',
      'key.read/bridge/cursor',
      'key.read/helper/claude-code',
      'key.reveal/window/',
      'rotation.step/window/'
    ])
  })
})
