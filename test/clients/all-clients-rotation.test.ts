import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientId, Placement } from '../../src/shared/schemas'
import { locationFor } from '../../src/main/mcp-config/clients'
import { accounts } from '../../src/main/vault/secret-store'
import { testContext } from '../support/context'
import { claudeIn } from './claude'
import { codexIn, writeCodexConfig } from './codex'
import { copilotFields, copilotIn } from './copilot'
import { geminiIn, serverStates, trustFolder } from './gemini'
import { opencodeIn, opencodeMissing, opencodeStates } from './opencode'
import { requestsWith } from './sandbox-usage'
import { bridgeUnavailable, injectKey, keywardenRun, type Ctx } from './world'

const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

describe('one key in every client', () => {
  // The per-client files check each placement before a rotation; this checks them all after one.
  it('is rotated in all of them at once, and each real client connects with the new key afterwards', async () => {
    const c = await testContext()
    open.push(c)
    const { ctx } = c
    const home = ctx.home
    await writeCodexConfig(home, new URL(ctx.services.sandbox!.url).origin)
    await trustFolder(home, home)
    await mkdir(join(home, '.gemini'), { recursive: true })
    await writeFile(join(home, '.gemini', 'settings.json'), '{ "privacy": { "usageStatisticsEnabled": false } }\n')
    const { key, secret: oldValue } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'everywhere' })
    const placements: Array<[ClientId, Placement]> = [
      ['claude-code', 'helper'],
      ['cursor', 'inline'],
      ['vscode', 'inline'],
      ['codex', 'inline'],
      ['windsurf', 'inline'],
      ['gemini-cli', 'inline'],
      ['copilot-cli', 'inline'],
      ['opencode', 'inline']
    ]
    const bridge = await bridgeUnavailable(c, key.id, 'claude-desktop')
    if (bridge) console.log(`Claude Desktop left out: the keychain bridge cannot be written yet (${bridge})`)
    else placements.push(['claude-desktop', 'bridge'])
    const scope = (client: ClientId) => (client === 'cursor' ? 'global' : 'user')
    for (const [client, placement] of placements) await injectKey(c, key.id, client, placement, { serverName: 'kw', scope: scope(client) })
    // Variables named in Gemini CLI's and opencode's files, filled by keywarden run after the rotation.
    for (const client of ['gemini-cli', 'opencode'] as const) await injectKey(c, key.id, client, 'env', { serverName: 'kw-env' })

    const r = await ctx.services.rotation.start(key.id)
    expect(r.state).toBe('done')
    expect(r.bindings).toHaveLength(placements.length + 2)
    expect(r.bindings.every((b) => b.status === 'updated')).toBe(true)
    const newValue = (await ctx.secrets.get(accounts.key(r.newKeyId!)))!
    for (const [client, placement] of placements) {
      const text = await readFile(locationFor({ home, platform: 'linux', env: {} }, client, scope(client))!.file, 'utf8')
      expect(text, client).not.toContain(oldValue)
      expect(text.includes(newValue), client).toBe(placement === 'inline')
    }

    // The clients that run here, each asked on its own: all on the new key.
    const codexBefore = await requestsWith(ctx, r.newKeyId!)
    await codexIn(home, ['exec', '--skip-git-repo-check', 'Say hello.'])
    expect(await requestsWith(ctx, r.newKeyId!)).toBeGreaterThan(codexBefore)
    const [claude, gemini, opencode, copilot] = await Promise.all([
      claudeIn(home, ['mcp', 'get', 'kw']),
      geminiIn(home, ['mcp', 'list'], { prefix: keywardenRun(c) }).then(serverStates),
      opencodeMissing ? undefined : opencodeIn(home, ['mcp', 'list'], { prefix: keywardenRun(c) }).then(opencodeStates),
      copilotIn(home, ['mcp', 'get', 'kw']).then(copilotFields)
    ])
    expect(claude).toContain('Status: ✔ Connected')
    expect(gemini).toEqual({ kw: 'Connected', 'kw-env': 'Connected' })
    if (opencodeMissing) console.log(`[all clients] opencode not checked: ${opencodeMissing}`)
    else expect(opencode).toEqual({ kw: 'connected', 'kw-env': 'connected' })
    expect(copilot).toMatchObject({ Type: 'http', URL: ctx.services.sandbox!.mcpUrl, Headers: 'Authorization: ***' })
    expect((await ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!).validateKey(oldValue)).valid).toBe(false)
  }, 180_000)
})
