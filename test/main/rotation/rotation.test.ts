import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createBindingWriter } from '../../../src/main/bindings/writer'
import { mcpHeaders } from '../../../src/main/cli/mcp-headers'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import { startSandbox } from '../../../src/main/sandbox/server'
import type { Rotation } from '../../../src/shared/schemas'
import { Crash, dyingDeps, rotationWorlds, type CrashPlan, type World } from './world'

const { world } = rotationWorlds()

async function expectConsistentDone(w: World, r: Rotation) {
  expect(r.state, r.error).toBe('done')
  const c = await w.check(r)
  expect(c.listed.map((k) => k.name)).toEqual([r.newName]) // one new key, the old one gone, no stray second key
  expect(c.oldAccepted).toBe(false)
  expect(c.newAccepted).toBe(true)
  expect(c.bindingKeyIds).toEqual([r.newKeyId])
  expect(c.filesHoldNew).toBe(true)
  expect(c.helperHeaders).toEqual({ Authorization: `Bearer ${c.newValue}` })
  expect(c.probes.every((p) => p.valid)).toBe(true)
}

describe('rotation of an API-managed key', () => {
  it('replaces the key in every tool, verifies it, and revokes the old one', async () => {
    const w = await world()
    const r = await w.ctx.services.rotation.start(w.key.id)
    await expectConsistentDone(w, r)
    expect(r.history.map((h) => h.state)).toEqual(['planned', 'creating', 'created', 'bindings-updated', 'verified', 'done'])
    const journal = JSON.stringify(w.ctx.services.journal.list())
    const { newValue } = await w.check(r)
    expect(journal).not.toContain(newValue!)
    expect(journal).not.toContain(w.oldValue)
  })

  it('with --dry-run style planning changes nothing', async () => {
    const w = await world()
    const plan = w.ctx.services.rotation.plan(w.key.id)
    expect(plan.bindings).toHaveLength(4)
    expect(w.ctx.services.journal.list()).toEqual([])
    expect((await w.check({ newKeyId: plan.newKeyId, newName: plan.newName })).filesHoldOld).toBe(true)
  })

  it('rolls every tool back and keeps the old key working when verification fails', async () => {
    const w = await world()
    const engine = createRotationEngine({
      vault: w.ctx.services.vault,
      secrets: w.ctx.secrets,
      journal: w.ctx.services.journal,
      adapterFor: w.ctx.services.adapterFor,
      writer: createBindingWriter({ inline: w.ctx.services.bindings.inlineWriter() }),
      probe: async () => ({ valid: false, message: 'The MCP server rejected the key.' })
    })
    const r = await engine.start(w.key.id)
    expect(r.state).toBe('rolled-back')
    expect(r.newKeyOutcome).toBe('kept')
    expect(r.error).toContain('put back on the old key')
    const c = await w.check(r)
    expect(c.oldAccepted).toBe(true)
    expect(c.bindingKeyIds).toEqual([w.key.id])
    expect(c.filesHoldOld).toBe(true)
    expect(c.helperHeaders).toEqual({ Authorization: `Bearer ${w.oldValue}` })
    // The person then decides: revoke the unneeded new key.
    const newKey = w.ctx.services.keys.list().find((k) => k.id === r.newKeyId)!
    await w.ctx.services.keys.revoke(newKey.id)
    expect((await w.check(r)).listed.map((k) => k.name)).toEqual(['main'])
  })

  it('refuses a second rotation of the same key while one is unfinished', async () => {
    const w = await world()
    w.proxy.fail({ method: 'POST', path: /api-keys\/$/, fault: { status: 503 }, times: 100 })
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.error).toBeDefined()
    await expect(w.ctx.services.rotation.start(w.key.id)).rejects.toMatchObject({ code: 'conflict' })
  })

  it('rolls back on request before the old key is revoked, revoking the new key', async () => {
    const w = await world()
    w.proxy.fail({ method: 'POST', path: /api-keys\/validate$/, fault: { status: 500 }, times: 100 })
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('bindings-updated')
    w.proxy.clear()
    const back = await w.ctx.services.rotation.rollback(r.id)
    expect(back).toMatchObject({ state: 'rolled-back', newKeyOutcome: 'revoked' })
    const c = await w.check(r)
    expect(c.listed.map((k) => k.name)).toEqual(['main'])
    expect(c.oldAccepted).toBe(true)
    expect(c.filesHoldOld).toBe(true)
    expect(c.bindingKeyIds).toEqual([w.key.id])
  })
})

describe('rotation under service failures (5xx, timeouts, 429) resumes to a consistent state', () => {
  const faults = [
    { name: '5xx on create', rule: { method: 'POST', path: /api-keys\/$/, fault: { status: 502 } } },
    { name: 'timeout on create', rule: { method: 'POST', path: /api-keys\/$/, fault: 'hang' } },
    { name: 'dropped connection on create', rule: { method: 'POST', path: /api-keys\/$/, fault: 'drop' } },
    {
      name: '429 with a long Retry-After on create',
      rule: { method: 'POST', path: /api-keys\/$/, fault: { status: 429, headers: { 'retry-after': '600' } } }
    },
    { name: '5xx on verify', rule: { method: 'POST', path: /validate$/, fault: { status: 503 } } },
    { name: 'timeout on verify', rule: { method: 'POST', path: /validate$/, fault: 'hang' } },
    { name: '5xx on revoke', rule: { method: 'DELETE', path: /api-keys\//, fault: { status: 500 } } },
    { name: '429 on revoke', rule: { method: 'DELETE', path: /api-keys\//, fault: { status: 429, headers: { 'retry-after': '900' } } } },
    { name: 'timeout on sign-in', rule: { method: 'POST', path: /auth\/(login|refresh)$/, fault: 'hang' } },
    { name: '503 from the MCP server on verify', rule: { method: 'POST', path: /^\/mcp/, fault: { status: 503 } } },
    {
      name: '429 from the MCP server on verify',
      rule: { method: 'POST', path: /^\/mcp/, fault: { status: 429, headers: { 'retry-after': '30' } } }
    },
    { name: 'timeout from the MCP server on verify', rule: { method: 'POST', path: /^\/mcp/, fault: 'hang' } }
  ] as const
  for (const f of faults) {
    it(f.name, async () => {
      const w = await world({ mcpViaProxy: f.name.includes('MCP') })
      if (f.name.includes('sign-in')) await w.ctx.secrets.delete(`provider:${w.provider.id}:session`)
      const restarted = await w.restart()
      w.proxy.fail({ ...f.rule, times: 100 } as Parameters<typeof w.proxy.fail>[0])
      const failed = await restarted.services.rotation.start(w.key.id)
      expect(failed.state).not.toBe('done')
      expect(failed.error).toBeTruthy()
      // Nothing is lost while it is stuck: the old key still works for every tool.
      // No rollback and no revoke on a fault that says nothing about the key.
      expect(failed.state).not.toMatch(/rolling-back|rolled-back/)
      const mid = await w.expectInvariants(failed)
      expect(mid.oldAccepted).toBe(true)
      w.proxy.clear()
      const resumed = await (await w.restart()).services.rotation.resume(failed.id)
      await expectConsistentDone(w, resumed)
      await w.expectInvariants(resumed)
    })
  }
})

describe('rotation survives the process being killed at every step', () => {
  const points: Array<{ name: string; plan: CrashPlan }> = [
    { name: 'after planned', plan: { afterState: 'planned' } },
    { name: 'after creating was journaled, before the request', plan: { beforeCreate: true } },
    { name: 'create response lost', plan: { createResponseLost: true } },
    { name: 'after keychain write', plan: { afterKeychainWrite: true } },
    { name: 'after created', plan: { afterState: 'created' } },
    { name: 'mid bindings', plan: { afterUpdate: 2 } },
    { name: 'after bindings updated', plan: { afterState: 'bindings-updated' } },
    { name: 'after verified', plan: { afterState: 'verified' } },
    { name: 'revoke response lost', plan: { revokeResponseLost: true } },
    { name: 'inside retiring the old key', plan: { afterOldMarkedRevoked: true } }
  ]
  const beforeRevoke = points.filter((p) => !['after verified', 'revoke response lost', 'inside retiring the old key'].includes(p.name))

  for (const point of beforeRevoke) {
    it(`killed ${point.name}, then rolled back: the old key serves every tool again`, async () => {
      const w = await world()
      await expect(createRotationEngine(dyingDeps(w, point.plan)).start(w.key.id)).rejects.toBeInstanceOf(Crash)
      const app = await w.restart()
      const [unfinished] = app.services.rotation.unfinished()
      const back = await app.services.rotation.rollback(unfinished!.id)
      expect(back.state).toBe('rolled-back')
      const c = await w.check(back)
      expect(c.listed.map((k) => k.name)).toEqual(['main']) // no new key left alive at the service
      expect(c.oldAccepted).toBe(true)
      expect(c.bindingKeyIds).toEqual([w.key.id])
      expect(c.filesHoldOld).toBe(true)
      expect(c.helperHeaders).toEqual({ Authorization: `Bearer ${w.oldValue}` })
      await w.expectInvariants(back)
    })
  }

  for (const point of points) {
    it(`killed ${point.name}`, async () => {
      const w = await world()
      await expect(createRotationEngine(dyingDeps(w, point.plan)).start(w.key.id)).rejects.toBeInstanceOf(Crash)
      // The app starts again: it finds the unfinished rotation in the journal and resumes it.
      const app = await w.restart()
      const [unfinished] = app.services.rotation.unfinished()
      expect(unfinished?.keyId).toBe(w.key.id)
      await w.expectInvariants(unfinished!, { midway: true })
      const done = await app.services.rotation.resume(unfinished!.id)
      await expectConsistentDone(w, done)
      await w.expectInvariants(done)
    })
  }
})

describe('rotation of a dashboard-managed key', () => {
  it('waits for the pasted new key, updates and verifies tools, and confirms the old key is rejected', async () => {
    const w = await world()
    const { ctx } = w
    // A service whose keys a person creates in a dashboard, with keys of its own shape: stood in
    // for by a second sandbox service that issues acme_ keys.
    const acmeDir = join(w.ctx.dataDir, 'acme-service')
    await mkdir(acmeDir, { recursive: true })
    const acme = await startSandbox({ dataDir: acmeDir, keyPrefix: 'acme_' })
    onTestFinished(() => acme.close())
    await fetch(`${acme.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'rotator@example.com', password: 'a-long-test-password' })
    })
    const session = (await (
      await fetch(`${acme.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'rotator@example.com', password: 'a-long-test-password' })
      })
    ).json()) as { access_token: string }
    const dashboard = {
      create: async (name: string) =>
        (await (
          await fetch(`${acme.url}/auth/api-keys/`, {
            method: 'POST',
            headers: { authorization: `Bearer ${session.access_token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name })
          })
        ).json()) as { id: string; api_key: string },
      revoke: (id: string) =>
        fetch(`${acme.url}/auth/api-keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session.access_token}` } })
    }
    const provider = await ctx.services.providers.connect({
      kind: 'custom',
      custom: {
        name: 'Acme AI',
        header: { name: 'Authorization', scheme: 'Bearer' },
        keyPrefix: 'acme_',
        checkUrl: `${acme.url}/auth/api-keys/`,
        mcpUrl: acme.mcpUrl,
        dashboardUrl: 'https://dashboard.acme.example/keys'
      }
    })
    const first = await dashboard.create('acme laptop')
    const { key } = await ctx.api.keys.import({ value: first.api_key, providerId: provider.id, name: 'acme laptop' })
    const preview = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'cursor',
      scope: 'global',
      serverName: 'acme',
      placement: 'inline'
    })
    const { binding } = await ctx.services.bindings.apply(preview.planId)
    const others = []
    for (const t of [
      { client: 'claude-code', scope: 'user', placement: 'helper' },
      { client: 'claude-code', scope: 'project', projectPath: w.project, placement: 'inline' },
      { client: 'vscode', scope: 'workspace', projectPath: w.project, placement: 'inline' }
    ] as const) {
      const p = await ctx.services.bindings.preview({ keyId: key.id, ...t, serverName: 'acme' })
      others.push((await ctx.services.bindings.apply(p.planId)).binding)
    }

    let r = await ctx.services.rotation.start(key.id)
    expect(r).toMatchObject({ mode: 'dashboard', state: 'awaiting-new-key' })
    await expect(ctx.services.rotation.provideNewKey(r.id, first.api_key)).rejects.toMatchObject({
      message: expect.stringContaining('That is the old key')
    })
    await expect(ctx.services.rotation.provideNewKey(r.id, `vib_${'a'.repeat(64)}`)).rejects.toMatchObject({
      message: expect.stringContaining('VibeXP key')
    })
    const second = await dashboard.create('acme laptop 2')
    r = await ctx.services.rotation.provideNewKey(r.id, second.api_key)
    expect(r.state).toBe('awaiting-revoke')
    const { readFile } = await import('node:fs/promises')
    const cursor = await readFile(preview.file, 'utf8')
    expect(cursor).toContain(second.api_key)
    expect(cursor).not.toContain(first.api_key)
    await expect(ctx.services.rotation.confirmRevoked(r.id)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('still accepts the old key')
    })
    await dashboard.revoke(first.id)
    r = await ctx.services.rotation.confirmRevoked(r.id)
    expect(r.state).toBe('done')
    expect(ctx.services.keys.list().find((k) => k.id === key.id)).toMatchObject({ status: 'revoked', inVault: false })
    for (const b of [binding, ...others]) {
      expect(ctx.services.bindings.list().find((x) => x.id === b.id)?.keyId).toBe(r.newKeyId)
      if (b.placement === 'inline') {
        const text = await readFile(b.file, 'utf8')
        expect(text).toContain(second.api_key)
        expect(text).not.toContain(first.api_key)
      } else {
        expect(JSON.parse(await mcpHeaders(b.id, ctx.dataDir, ctx.secrets))).toEqual({ Authorization: `Bearer ${second.api_key}` })
      }
      expect(
        await probeMcp({ url: b.url, header: { name: 'Authorization', value: `Bearer ${second.api_key}` }, serviceName: 'Acme' })
      ).toMatchObject({ valid: true })
      expect(
        await probeMcp({ url: b.url, header: { name: 'Authorization', value: `Bearer ${first.api_key}` }, serviceName: 'Acme' })
      ).toMatchObject({ valid: false })
    }
  })
})
