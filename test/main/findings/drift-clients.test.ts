import { readFile, writeFile } from 'node:fs/promises'
import { parse, stringify } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import type { Binding, Placement } from '../../../src/shared/schemas'
import { scoped } from '../../support/scoped'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

type Servers = Record<string, Record<string, unknown>>

/** Rewrites a config file as its client would, through the client's own format (JSON or TOML). */
async function rewrite(file: string, container: string[], change: (servers: Servers) => void) {
  const toml = file.endsWith('.toml')
  const text = await readFile(file, 'utf8')
  const data = (toml ? parse(text) : JSON.parse(text)) as Record<string, unknown>
  const servers = container.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, data) as Servers
  change(servers)
  await writeFile(file, toml ? stringify(data) : JSON.stringify(data, null, 2))
}

const containerOf = (client: string) =>
  ({ codex: ['mcp_servers'], vscode: ['servers'], 'vscode-insiders': ['servers'], opencode: ['mcp'] })[client] ?? ['mcpServers']

describe('drift in every client Keywarden writes to', () => {
  it('sees each placement of each client intact, then dropped or changed by the client, and writes each back', async () => {
    const ctx = await s.ctx()
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'drift everywhere' })
    const clients = await ctx.api.clients.list()
    expect(clients.map((c) => c.client).sort()).toEqual(
      [
        'claude-code',
        'claude-desktop',
        'codex',
        'copilot-cli',
        'cursor',
        'gemini-cli',
        'opencode',
        'vscode',
        'vscode-insiders',
        'windsurf'
      ].sort()
    )
    const bindings: Binding[] = []
    for (const c of clients) {
      // Every placement the client takes, in its first user-level scope.
      const scope = c.scopes.find((x) => !x.project)!.id
      for (const { id: placement } of c.placements) {
        const preview = await ctx.api.bindings.preview({
          keyId: key.id,
          client: c.client,
          scope,
          placement: placement as Placement,
          serverName: `kw-${placement}`
        })
        bindings.push((await ctx.api.bindings.apply({ planId: preview.planId })).binding)
      }
    }
    const states = async () => Object.fromEntries((await ctx.api.bindings.drift({})).map((r) => [`${r.client}/${r.serverName}`, r.state]))
    const all = (state: string) => Object.fromEntries(bindings.map((b) => [`${b.client}/${b.serverName}`, state]))
    expect(await states()).toEqual(all('intact'))

    // Each client drops every entry (Claude Desktop drops what it cannot run), one rewrite per file.
    const files = new Map(bindings.map((b) => [b.file, b.client]))
    for (const [file, client] of files)
      await rewrite(file, containerOf(client), (servers) => {
        for (const name of Object.keys(servers)) if (name.startsWith('kw-')) delete servers[name]
      })
    expect(await states()).toEqual(all('missing'))

    for (const b of bindings) {
      const preview = await ctx.api.bindings.repairPreview({ bindingId: b.id })
      expect(preview.diff, `${b.client}/${b.serverName}`).toContain(b.serverName)
      await ctx.api.bindings.repair({ planId: preview.planId })
    }
    expect(await states()).toEqual(all('intact'))

    // A field Keywarden wrote, changed by someone in Codex's TOML and in Claude Desktop's JSON.
    const codex = bindings.find((b) => b.client === 'codex' && b.placement === 'helper')!
    await rewrite(codex.file, ['mcp_servers'], (servers) => void (servers['kw-helper']!['http_headers_helper'] = 'cat /tmp/headers.json'))
    const desktop = bindings.find((b) => b.client === 'claude-desktop')!
    await rewrite(desktop.file, ['mcpServers'], (servers) => void (servers['kw-bridge']!['args'] = ['mcp-bridge', 'someone-else']))
    const reports = await ctx.api.bindings.drift({})
    expect(reports.filter((r) => r.state !== 'intact').map((r) => [r.client, r.serverName, r.state, r.detail])).toEqual([
      ['codex', 'kw-helper', 'changed', 'changed: http_headers_helper'],
      ['claude-desktop', 'kw-bridge', 'changed', 'changed: args']
    ])
  }, 120_000)
})
