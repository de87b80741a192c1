import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import { startSandbox } from '../../../src/main/sandbox/server'
import { accounts } from '../../../src/main/vault/secret-store'
import { startFaultProxy } from '../../support/fault-proxy'
import type { Rotation } from '../../../src/shared/schemas'
import { Crash, dyingDeps, rotationWorlds, type CrashPlan } from './world'

const { world, defer } = rotationWorlds()

/**
 * A dashboard-managed service (keys created and revoked by a person) with keys of its own shape
 * (acme_…): a second sandbox service behind its own fault proxy, reached with a check URL like
 * VibeXP, or only through an MCP server like Lybic.
 */
async function dashboardWorld(options: { checkUrl: boolean }) {
  const w = await world()
  const { ctx } = w
  const acmeDir = join(ctx.dataDir, 'acme-service')
  await mkdir(acmeDir, { recursive: true })
  const acme = await startSandbox({ dataDir: acmeDir, keyPrefix: 'acme_' })
  const proxy = await startFaultProxy(new URL(acme.url).origin)
  defer(async () => (await proxy.close(), await acme.close()))
  const json = { 'content-type': 'application/json' }
  const account = JSON.stringify({ email: 'rotator@example.com', password: 'a-long-test-password' })
  await fetch(`${acme.url}/auth/register`, { method: 'POST', headers: json, body: account })
  const session = (await (await fetch(`${acme.url}/auth/login`, { method: 'POST', headers: json, body: account })).json()) as {
    access_token: string
  }
  const auth = { authorization: `Bearer ${session.access_token}`, ...json }
  const dashboard = {
    create: async (name: string) =>
      (await (await fetch(`${acme.url}/auth/api-keys/`, { method: 'POST', headers: auth, body: JSON.stringify({ name }) })).json()) as {
        id: string
        api_key: string
      },
    revoke: (id: string) => fetch(`${acme.url}/auth/api-keys/${id}`, { method: 'DELETE', headers: auth }),
    accepts: async (value: string) => {
      const res = await fetch(`${acme.url}/auth/api-keys/validate`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ api_key: value })
      })
      return res.ok && ((await res.json()) as { valid?: boolean }).valid === true
    }
  }
  const provider = await ctx.services.providers.connect({
    kind: 'custom',
    custom: {
      name: 'Acme AI',
      header: { name: 'Authorization', scheme: 'Bearer' },
      keyPrefix: 'acme_',
      checkUrl: options.checkUrl ? `${proxy.origin}${new URL(acme.url).pathname}/auth/api-keys/` : undefined,
      mcpUrl: `${proxy.origin}/mcp`,
      dashboardUrl: 'https://dashboard.acme.example/keys'
    }
  })
  const first = await dashboard.create('acme laptop')
  const { key } = await ctx.api.keys.import({ value: first.api_key, providerId: provider.id, name: 'acme laptop' })
  for (const t of [
    { client: 'cursor', scope: 'global' },
    { client: 'claude-code', scope: 'user', placement: 'helper' },
    { client: 'vscode', scope: 'workspace', projectPath: w.project, placement: 'inline' }
  ] as const) {
    await ctx.services.bindings.apply((await ctx.services.bindings.preview({ keyId: key.id, ...t, serverName: 'acme' })).planId)
  }
  const second = await dashboard.create('acme laptop 2')

  /** No key lost, and every Acme tool sends a key the service accepts (read by a fresh process). */
  async function expectConsistent(r: Rotation, options: { revoked?: boolean } = {}) {
    proxy.clear()
    const app = await w.restart()
    const saved = await app.secrets.get(accounts.key(r.newKeyId))
    if (r.state !== 'awaiting-new-key' || r.newValueSaved) expect(saved, 'the pasted key is in the keychain').toBe(second.api_key)
    for (const b of app.services.vault.bindings.list().filter((x) => x.serverName === 'acme')) {
      const inFile = b.placement === 'inline' ? await readFile(b.file, 'utf8') : ''
      const value =
        b.placement === 'inline'
          ? [first.api_key, second.api_key].find((v) => inFile.includes(v))
          : await app.secrets.get(accounts.key(b.keyId))
      expect(value && (await dashboard.accepts(value)), `${b.client} sends a key the service rejects`).toBe(true)
    }
    if (options.revoked) expect(await dashboard.accepts(first.api_key)).toBe(false)
    expect(JSON.stringify(app.services.journal.list())).not.toContain(second.api_key)
  }

  return { ...w, proxy, dashboard, key, first, second, expectConsistent }
}

describe('a pasted key is never lost', () => {
  const faults = [
    { name: 'a 5xx', fault: { status: 503 } },
    { name: 'a timeout', fault: 'hang' },
    { name: 'a 429', fault: { status: 429, headers: { 'retry-after': '600' } } }
  ] as const
  for (const f of faults) {
    it(`keeps the pasted key in the keychain when checking it meets ${f.name}, and checks it again on resume`, async () => {
      const d = await dashboardWorld({ checkUrl: true })
      const r = await d.ctx.services.rotation.start(d.key.id)
      d.proxy.fail({ method: 'GET', path: /api-keys\/$/, fault: f.fault, times: 100 })
      const failed = await d.ctx.services.rotation.provideNewKey(r.id, d.second.api_key)
      expect(failed).toMatchObject({
        state: 'awaiting-new-key',
        newValueSaved: true,
        error: expect.stringContaining('saved in your keychain')
      })
      await d.expectConsistent(failed)
      d.proxy.clear()
      const resumed = await (await d.restart()).services.rotation.resume(r.id)
      expect(resumed.state, resumed.error).toBe('awaiting-revoke')
      await d.dashboard.revoke(d.first.id)
      const done = await (await d.restart()).services.rotation.confirmRevoked(r.id)
      expect(done.state).toBe('done')
      await d.expectConsistent(done, { revoked: true })
    })
  }

  it('drops a pasted key the service definitely rejects, and asks again', async () => {
    const d = await dashboardWorld({ checkUrl: true })
    const r = await d.ctx.services.rotation.start(d.key.id)
    const dead = await d.dashboard.create('typo')
    await d.dashboard.revoke(dead.id)
    await expect(d.ctx.services.rotation.provideNewKey(r.id, dead.api_key)).rejects.toMatchObject({
      code: 'provider-rejected',
      message: expect.stringContaining('Paste the new Acme AI key again')
    })
    expect(await d.ctx.secrets.get(accounts.key(r.newKeyId))).toBeNull()
    expect(d.ctx.services.journal.get(r.id)).toMatchObject({ state: 'awaiting-new-key', newValueSaved: false })
  })

  it('rolling back after a saved paste keeps that key in the vault for the person to decide', async () => {
    const d = await dashboardWorld({ checkUrl: true })
    const r = await d.ctx.services.rotation.start(d.key.id)
    d.proxy.fail({ method: 'GET', path: /api-keys\/$/, fault: { status: 503 }, times: 100 })
    await d.ctx.services.rotation.provideNewKey(r.id, d.second.api_key)
    d.proxy.clear()
    const back = await d.ctx.services.rotation.rollback(r.id)
    expect(back).toMatchObject({ state: 'rolled-back', newKeyOutcome: 'kept' })
    expect(d.ctx.services.keys.list().find((k) => k.id === r.newKeyId)).toMatchObject({ inVault: true, status: 'active' })
    expect(await d.ctx.secrets.get(accounts.key(r.newKeyId))).toBe(d.second.api_key)
  })
})

describe('a dashboard rotation survives the process being killed at every step', () => {
  const points: Array<{ name: string; plan: CrashPlan; during: 'paste' | 'confirm' }> = [
    { name: 'right after the pasted key reached the keychain', plan: { afterKeychainWrite: true }, during: 'paste' },
    { name: 'after created', plan: { afterState: 'created' }, during: 'paste' },
    { name: 'mid bindings', plan: { afterUpdate: 1 }, during: 'paste' },
    { name: 'after verified', plan: { afterState: 'verified' }, during: 'paste' },
    { name: 'after awaiting-revoke', plan: { afterState: 'awaiting-revoke' }, during: 'paste' },
    { name: 'inside retiring the old key', plan: { afterOldMarkedRevoked: true }, during: 'confirm' }
  ]
  for (const p of points) {
    it(`killed ${p.name}`, async () => {
      const d = await dashboardWorld({ checkUrl: true })
      const r = await d.ctx.services.rotation.start(d.key.id)
      const dying = createRotationEngine(dyingDeps(d, p.plan))
      if (p.during === 'paste') await expect(dying.provideNewKey(r.id, d.second.api_key)).rejects.toBeInstanceOf(Crash)
      else {
        expect((await d.ctx.services.rotation.provideNewKey(r.id, d.second.api_key)).state).toBe('awaiting-revoke')
        await d.dashboard.revoke(d.first.id)
        await expect(dying.confirmRevoked(r.id)).rejects.toBeInstanceOf(Crash)
      }
      const app = await d.restart()
      const [u] = app.services.rotation.unfinished()
      expect(u?.id).toBe(r.id)
      await d.expectConsistent(u!)
      let next = u!.state === 'awaiting-revoke' ? u! : await app.services.rotation.resume(r.id)
      expect(next.state, next.error).toBe('awaiting-revoke')
      if (p.during === 'paste') await d.dashboard.revoke(d.first.id)
      next = await app.services.rotation.confirmRevoked(r.id)
      expect(next.state).toBe('done')
      await d.expectConsistent(next, { revoked: true })
    })
  }
})

describe('MCP servers that cannot be reached say nothing about a key', () => {
  it('a 503 from the MCP server while verifying keeps the rotation where it is: no rollback, no revoke', async () => {
    const d = await dashboardWorld({ checkUrl: true })
    const r = await d.ctx.services.rotation.start(d.key.id)
    d.proxy.fail({ method: 'POST', path: /^\/mcp/, fault: { status: 503 }, times: 100 })
    const stuck = await d.ctx.services.rotation.provideNewKey(r.id, d.second.api_key)
    expect(stuck).toMatchObject({ state: 'bindings-updated', error: expect.stringContaining('Nothing was rolled back') })
    await d.expectConsistent(stuck)
    d.proxy.clear()
    expect((await d.ctx.services.rotation.resume(r.id)).state).toBe('awaiting-revoke')
  })

  it('without a check URL (like Lybic), an unreachable MCP server never counts as the old key being rejected', async () => {
    const d = await dashboardWorld({ checkUrl: false })
    const r = await d.ctx.services.rotation.start(d.key.id)
    expect((await d.ctx.services.rotation.provideNewKey(r.id, d.second.api_key)).state).toBe('awaiting-revoke')
    // The person says "revoked" but has not done it, and the MCP server is down.
    d.proxy.fail({ path: /^\/mcp/, fault: { status: 503 }, times: 100 })
    await expect(d.ctx.services.rotation.confirmRevoked(r.id)).rejects.toMatchObject({ code: 'provider-unreachable' })
    expect(d.ctx.services.journal.get(r.id).state).toBe('awaiting-revoke')
    expect(d.ctx.services.keys.list().find((k) => k.id === d.key.id)).toMatchObject({ status: 'active', inVault: true })
    d.proxy.clear()
    await expect(d.ctx.services.rotation.confirmRevoked(r.id)).rejects.toMatchObject({
      message: expect.stringContaining('still accepts the old key')
    })
    await d.dashboard.revoke(d.first.id)
    expect((await d.ctx.services.rotation.confirmRevoked(r.id)).state).toBe('done')
    await d.expectConsistent(d.ctx.services.journal.get(r.id), { revoked: true })
  })
})
