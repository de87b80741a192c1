import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeClient } from '../../../src/main/mcp-config/clients'
import { scoped } from '../../support/scoped'
import { boundSandboxKey, CLI } from './world'

const world = scoped()

describe('the bridge placement', () => {
  it('is offered to Claude Code beside the helper, and is the default for Cursor and VS Code (input kept as a choice)', () => {
    expect(describeClient('claude-code').placements).toEqual(['helper', 'bridge', 'inline'])
    expect(describeClient('cursor').placements[0]).toBe('bridge')
    expect(describeClient('vscode').placements).toEqual(['bridge', 'input', 'inline'])
  })

  for (const [client, file, container, shape] of [
    ['claude-code', '.claude.json', 'mcpServers', { type: 'stdio', env: {} }],
    ['cursor', '.cursor/mcp.json', 'mcpServers', { type: 'stdio' }],
    ['vscode', '.config/Code/User/mcp.json', 'servers', { type: 'stdio' }]
  ] as const) {
    it(`writes a stdio entry for ${client} with an absolute command and no key anywhere in it`, async () => {
      const { ctx, secret, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client })
      const text = await readFile(join(ctx.home, file), 'utf8')
      expect(text).not.toContain(secret)
      const entry = JSON.parse(text)[container]['kw-bridge']
      expect(entry).toEqual({
        ...shape,
        command: process.execPath,
        args: [CLI, 'mcp-bridge', binding.id, '--data-dir', ctx.dataDir, '--keychain-service', `Keywarden (${ctx.dataDir})`]
      })
      expect(binding.placement).toBe('bridge')
    })
  }

  it('explains itself in one sentence in the preview, and says when the command comes from a development tree', async () => {
    const { ctx, key } = await boundSandboxKey(world.defer, { placement: 'helper' })
    const preview = await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'bridge' })
    expect(preview.notes[0]).toMatch(
      /^Cursor will start Keywarden's bridge, .* nothing secret is in the file, its arguments or its environment, and a rotation changes no file\.$/
    )
    expect(preview.notes.join(' ')).toContain('development tree')
    expect(preview.diff).not.toContain('sbx_')
  })

  it('is found again by the scan, with the server it reaches, and shown as a bridge entry', async () => {
    const { ctx, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const found = (await ctx.services.bindings.scan()).servers.find((s) => s.serverName === 'kw-bridge')
    expect(found).toMatchObject({ placement: 'bridge', bindingId: binding.id, url: binding.url, plaintext: false })
  })

  it('needs no file change in a rotation: the entry stays byte for byte, and the client gets the new key', async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const before = await readFile(binding.file, 'utf8')
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
    expect(r.bindings).toEqual([expect.objectContaining({ bindingId: binding.id, status: 'updated', changeId: undefined })])
    expect(await readFile(binding.file, 'utf8')).toBe(before)
  })

  it("rotation's check runs the bridge as the client would: accepted with a working key, never once the key is revoked", async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const result = await (
      await import('../../../src/main/bridge/bridge-probe')
    ).probeThroughBridge({
      command: JSON.parse(await readFile(binding.file, 'utf8')).mcpServers['kw-bridge'],
      serviceName: 'Local sandbox'
    })
    expect(result).toMatchObject({ outcome: 'accepted' })
    await ctx.services.keys.revoke(key.id)
    const after = await (
      await import('../../../src/main/bridge/bridge-probe')
    ).probeThroughBridge({
      command: JSON.parse(await readFile(binding.file, 'utf8')).mcpServers['kw-bridge'],
      serviceName: 'Local sandbox'
    })
    expect(after.outcome).not.toBe('accepted')
  })
})
