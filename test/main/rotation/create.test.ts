import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import { readActivity } from '../../../src/main/activity/activity-read'
import { Crash, dyingDeps, rotationWorlds, type World } from './world'

const { world, defer } = rotationWorlds()
const closeServer = (s: Server) => defer(async () => (s.closeAllConnections(), s.close()))

/**
 * A gateway in front of the service that ignores Idempotency-Key and answers 502 to the first
 * `failures` create requests after the service has committed them.
 */
async function committingGateway(w: World, failures: number) {
  const target = new URL(w.proxy.origin)
  let left = failures
  const gw = createServer((req, res) => {
    const headers = { ...req.headers }
    delete headers['idempotency-key']
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (r) => {
      if (left > 0 && req.method === 'POST' && /api-keys\/$/.test(req.url ?? '')) {
        left--
        r.resume()
        res.writeHead(502)
        return void res.end('{}')
      }
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    req.pipe(up)
  })
  closeServer(gw)
  await new Promise<void>((r) => gw.listen(0, '127.0.0.1', () => r()))
  const port = (gw.address() as AddressInfo).port
  const p = w.ctx.services.vault.providers.get(w.provider.id)
  await w.ctx.services.vault.providers.update({ ...p, baseUrl: p.baseUrl!.replace(w.proxy.origin, `http://127.0.0.1:${port}`) })
  return w.restart()
}

describe('never a second new key at the service', () => {
  it('two starts of the same key at once: one runs, the other is refused', async () => {
    const w = await world()
    const results = await Promise.allSettled([w.ctx.services.rotation.start(w.key.id), w.ctx.services.rotation.start(w.key.id)])
    expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected'])
    const rejected = results.find((x) => x.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toMatchObject({ code: 'conflict', message: expect.stringContaining('already has a rotation in progress') })
    const done = (
      results.find((x) => x.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof w.ctx.services.rotation.start>>>
    ).value
    expect(w.ctx.services.journal.list()).toHaveLength(1)
    expect((await w.check(done)).listed.map((k) => k.name)).toEqual([done.newName])
  })

  it('a create the service committed but answered with a 502 is not sent again blindly: the stray is revoked and resuming leaves one new key', async () => {
    const w = await world()
    const app = await committingGateway(w, 1)
    const failed = await app.services.rotation.start(w.key.id)
    expect(failed).toMatchObject({ state: 'creating', error: expect.stringContaining('server error') })
    expect((await w.expectInvariants(failed)).newKeysAtService).toBe(0)
    const done = await app.services.rotation.resume(failed.id)
    expect(done.state, done.error).toBe('done')
    expect((await w.check(done)).listed.map((k) => k.name)).toEqual([done.newName])
    await w.expectInvariants(done)
  })

  it('every create committed but answered with a 502: the strays are revoked, and resuming creates exactly one', async () => {
    const w = await world()
    const app = await committingGateway(w, 100)
    const failed = await app.services.rotation.start(w.key.id)
    expect(failed).toMatchObject({ state: 'creating', error: expect.stringContaining('server error') })
    const mid = await w.expectInvariants(failed)
    expect(mid.newKeysAtService).toBe(0)
    expect(mid.oldAccepted).toBe(true)
    // The journal records the fresh token the next attempt will use.
    expect(failed.idempotencyToken).not.toBe(failed.newName.slice(-12))
    await w.ctx.services.vault.providers.update({
      ...w.ctx.services.vault.providers.get(w.provider.id),
      baseUrl: `${w.proxy.origin}/api/v2/external`
    })
    const done = await (await w.restart()).services.rotation.resume(failed.id)
    expect(done.state, done.error).toBe('done')
    expect((await w.check(done)).listed.map((k) => k.name)).toEqual([done.newName])
    await w.expectInvariants(done)
    // The activity log, across both runs: each step once ("creating" again after the resume is the
    // same step), and each inline entry rewritten with the new key once.
    const logged = async (kind: 'rotation.step' | 'config.write') =>
      (await readActivity(w.ctx.dataDir, { kind, limit: 5000 })).events.map((e) => e.detail ?? '').reverse()
    expect(await logged('rotation.step')).toEqual(
      ['planned', 'creating', 'created', 'bindings-updated', 'verified', 'done'].map((state) => `rotation ${done.id}: ${state}`)
    )
    expect((await logged('config.write')).filter((d) => d.startsWith('Update the key of'))).toHaveLength(3)
  })
})

describe('a crash and a sync in between', () => {
  it('takes over the "not in this vault" row a sync made for the new key, so it is listed once, with its value', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterKeychainWrite: true })).start(w.key.id)).rejects.toBeInstanceOf(Crash)
    const app = await w.restart()
    await app.services.sync.sync(w.provider.id)
    const [u] = app.services.rotation.unfinished()
    expect(app.services.vault.keys.list().filter((k) => k.name === u!.newName)).toMatchObject([{ inVault: false }])
    const done = await app.services.rotation.resume(u!.id)
    expect(done.state).toBe('done')
    const rows = app.services.vault.keys.list().filter((k) => k.remoteId === done.newRemoteId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: done.newKeyId, inVault: true, status: 'active', remoteId: done.newRemoteId })
    await w.expectInvariants(done)
  })
})
