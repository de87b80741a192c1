import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import type { ActivityEvent } from '../../../src/shared/activity'
import { readActivity } from '../../../src/main/activity/activity-read'
import { accounts } from '../../../src/main/vault/secret-store'
import { claudeIn } from '../../clients/claude'
import { scoped } from '../../support/scoped'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })
const root = resolve(import.meta.dirname, '../../..')

/** The SDK client in a process of its own (sdk-client.ts): the bridge's parent, as a client app would be. */
function sdkClient(command: string, args: string[], defer: (close: () => Promise<void>) => void) {
  const child = spawn(process.execPath, ['--import', 'jiti/register', resolve(import.meta.dirname, 'sdk-client.ts'), command, ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit']
  })
  defer(async () => void child.kill())
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => String((await lines.next()).value)
  return {
    ready: next,
    call: async () => (child.stdin.write('call\n'), next()),
    close: () => new Promise<void>((done) => (child.once('exit', () => done()), child.stdin.end()))
  }
}

/** Every file of the activity log, rotated ones included, as bytes on disk. */
async function logFiles(dataDir: string): Promise<string> {
  const names = (await readdir(dataDir)).filter((n) => /^activity(\.\d+)?\.jsonl$/.test(n))
  expect(names.length).toBeGreaterThan(0)
  return (await Promise.all(names.map((n) => readFile(join(dataDir, n), 'utf8')))).join('')
}

const forms = (value: string) => [
  value,
  Buffer.from(value).toString('base64'),
  Buffer.from(value).toString('base64url'),
  Buffer.from(value).toString('hex'),
  value.slice(8)
]

describe('the activity log, as the helper, the bridge, a rotation and a reveal write it', () => {
  it('logs each once, names the client that asked, and holds no key in any form', async () => {
    const ctx = await s.ctx()
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'logged key' })
    const add = async (client: 'claude-code' | 'cursor', scope: string, placement: 'helper' | 'bridge', serverName: string) =>
      (
        await ctx.services.bindings.apply(
          (await ctx.services.bindings.preview({ keyId: key.id, client, scope, placement, serverName })).planId
        )
      ).binding
    const helper = await add('claude-code', 'user', 'helper', 'kw-helper')
    const bridge = await add('cursor', 'global', 'bridge', 'kw-bridge')

    // Claude Code connects, running the headers helper as it does on every connect.
    expect(await claudeIn(ctx.home, ['mcp', 'get', 'kw-helper'])).toContain('Status: ✔ Connected')

    // An SDK client starts the bridge Cursor was given and calls a tool; the key is read once.
    const entry = JSON.parse(await readFile(join(ctx.home, '.cursor', 'mcp.json'), 'utf8')).mcpServers['kw-bridge']
    const client = sdkClient(entry.command, entry.args, s.defer)
    expect(await client.ready()).toBe('ready')
    expect(await client.call()).toContain(key.prefix)

    // A rotation (each binding checked through the bridge), then the old key is refused and the
    // running bridge reads the binding's key again.
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
    const newKey = ctx.services.vault.keys.get(r.newKeyId)
    expect(await client.call()).toContain(newKey.prefix)
    await client.close()

    const revealed = await ctx.api.keys.reveal({ keyId: r.newKeyId })
    const newValue = (await ctx.secrets.get(accounts.key(r.newKeyId)))!
    expect(revealed.secret).toBe(newValue)

    const { events, unreadable } = await readActivity(ctx.dataDir, { limit: 5000 })
    expect(unreadable).toBe(0)
    const of = (kind: ActivityEvent['kind'], by?: ActivityEvent['by']) =>
      events.filter((e) => e.kind === kind && (!by || e.by === by)).reverse()
    const read = (e: ActivityEvent) => [e.client, e.server, e.key?.id, e.key?.name, e.key?.fingerprint]

    // The helper: once for Claude Code, its server, the key by name and fingerprint; then the
    // rotation's check runs the helper written in the entry, as Keywarden's own read of the new key.
    expect(of('key.read', 'helper').map(read)).toEqual([
      ['claude-code', 'kw-helper', key.id, key.name, key.fingerprint],
      // (read while the rotation still called it by its interim name)
      ['keywarden', 'kw-helper', newKey.id, expect.stringContaining(key.name), newKey.fingerprint]
    ])
    // The bridge the SDK client started: its first read, and the one after the 401; the rotation's
    // own check of the bridge binding is Keywarden's, named so.
    const bridgeReads = of('key.read', 'bridge')
    expect(bridgeReads.filter((e) => e.client === 'node sdk-client.ts').map(read)).toEqual([
      ['node sdk-client.ts', 'kw-bridge', key.id, key.name, key.fingerprint],
      ['node sdk-client.ts', 'kw-bridge', newKey.id, newKey.name, newKey.fingerprint]
    ])
    expect(
      bridgeReads
        .filter((e) => e.client === 'keywarden')
        .map((e) => e.server)
        .sort()
    ).toEqual(['kw-bridge'])
    expect(bridgeReads).toHaveLength(3)
    // Every step of the rotation, once each, in order.
    expect(of('rotation.step').map((e) => [e.key?.id, e.detail])).toEqual(
      ['planned', 'creating', 'created', 'bindings-updated', 'verified', 'done'].map((state) => [key.id, `rotation ${r.id}: ${state}`])
    )
    // The two entries written (nothing else: helper and bridge entries need no file change at a rotation).
    expect(of('config.write').map((e) => [e.client, e.server, e.by])).toEqual([
      ['claude-code', 'kw-helper', 'window'],
      ['cursor', 'kw-bridge', 'window']
    ])
    expect(of('key.reveal').map((e) => [e.by, e.key?.id])).toEqual([['window', r.newKeyId]])
    expect(events).toHaveLength(1 + 4 + 6 + 2 + 1)
    expect(helper.id).not.toBe(bridge.id)

    // No key value anywhere in the log files: raw, base64, base64url, hex, or its tail alone.
    const text = await logFiles(ctx.dataDir)
    for (const value of [secret, newValue]) for (const form of forms(value)) expect(text).not.toContain(form)
  }, 180_000)
})
