import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createAppContext } from '../../../src/main/app-context'
import { mcpHeaders } from '../../../src/main/cli/mcp-headers'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import { accounts } from '../../../src/main/vault/secret-store'
import type { Binding, Provider } from '../../../src/shared/schemas'
import { startFaultProxy } from '../../support/fault-proxy'
import { testContext } from '../../support/context'

/**
 * A person's machine for rotation tests: a Lyceum-style provider reached through a fault proxy in
 * front of the real sandbox, one key, and bindings in Claude Code (helper and inline), Cursor and
 * VS Code, all in a temporary home.
 */
export async function rotationWorld() {
  const base = await testContext({ timeoutMs: 400 })
  const { ctx } = base
  const proxy = await startFaultProxy(new URL(ctx.sandbox!.url).origin)
  const email = 'rotator@example.com'
  const password = 'a-long-test-password'
  await fetch(`${ctx.sandbox!.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  const provider = await ctx.providers.connect({ kind: 'lyceum', name: 'Lyceum', baseUrl: `${proxy.origin}/api/v2/external`, mcpUrl: ctx.sandbox!.mcpUrl, email, password })
  const { key, secret: oldValue } = await ctx.keys.create({ providerId: provider.id, name: 'main' })
  const project = join(ctx.home, 'src', 'app')
  await mkdir(project, { recursive: true })
  const targets = [
    { client: 'claude-code', scope: 'user', placement: 'helper' },
    { client: 'claude-code', scope: 'project', projectPath: project, placement: 'inline' },
    { client: 'cursor', scope: 'global', placement: 'inline' },
    { client: 'vscode', scope: 'workspace', projectPath: project, placement: 'inline' }
  ] as const
  for (const t of targets) {
    const preview = await ctx.bindings.preview({ keyId: key.id, ...t })
    await ctx.bindings.apply(preview.planId)
  }

  /** A second process on the same data folder and keychain: what the app is after a restart. */
  const restart = () =>
    createAppContext({ dataDir: ctx.dataDir, secrets: base.secrets, clipboard: base.clipboard, version: 'test', home: ctx.home, platform: 'linux', env: {}, sandbox: 'off', timeoutMs: 400, backoffMs: 5, sleep: async () => {} })

  async function check(options: { newKeyId: string; newName: string }) {
    const adapter = ctx.adapterFor(ctx.store.read().providers.find((p) => p.id === provider.id) as Provider)
    proxy.clear()
    const listed = await adapter.listKeys!()
    const newValue = await ctx.secrets.get(accounts.key(options.newKeyId))
    const bindings = (await restart()).store.read().bindings
    const files = await Promise.all(bindings.filter((b) => b.placement === 'inline').map((b) => readFile(b.file, 'utf8')))
    const helper = bindings.find((b) => b.placement === 'helper') as Binding
    return {
      listed,
      newValue,
      oldAccepted: (await adapter.validateKey(oldValue)).valid,
      newAccepted: newValue ? (await adapter.validateKey(newValue)).valid : false,
      bindingKeyIds: [...new Set(bindings.map((b) => b.keyId))],
      filesHoldNew: newValue ? files.every((f) => f.includes(newValue) && !f.includes(oldValue)) : false,
      filesHoldOld: files.every((f) => f.includes(oldValue)),
      helperHeaders: JSON.parse(await mcpHeaders(helper.id, ctx.dataDir, ctx.secrets)) as Record<string, string>,
      probes: await Promise.all(
        [...new Set(bindings.map((b) => b.url))].map((url) => probeMcp({ url, header: { name: 'Authorization', value: `Bearer ${newValue}` }, serviceName: 'sandbox' }))
      )
    }
  }

  return { ...base, ctx, proxy, provider, key, oldValue, project, restart, check, close: async () => {
    await proxy.close()
    await ctx.close()
  } }
}
