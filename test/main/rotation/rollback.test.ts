import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import { Crash, dyingDeps, rotationWorlds, type World } from './world'

const { world } = rotationWorlds()
const rejecting = async () => ({ valid: false, outcome: 'rejected' as const, message: 'The MCP server rejected the key (HTTP 401).' })

/** Every tool back on the old key, which the service still accepts. */
async function expectAllOnOld(w: World) {
  const c = await w.check({ newKeyId: 'none', newName: 'none' })
  expect(c.oldAccepted).toBe(true)
  expect(c.bindingKeyIds).toEqual([w.key.id])
  expect(c.filesHoldOld).toBe(true)
  expect(c.helperHeaders).toEqual({ Authorization: `Bearer ${w.oldValue}` })
}

describe('an interrupted rollback is finished, never mistaken for a rotation to complete', () => {
  it('killed while putting tools back after a failed verification: resuming finishes the rollback and keeps the old key', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterRestore: 1 }, rejecting)).start(w.key.id)).rejects.toBeInstanceOf(Crash)
    const app = await w.restart()
    const [u] = app.services.rotation.unfinished()
    expect(u!.state).toBe('rolling-back')
    await w.expectInvariants(u!, { midway: true })
    const r = await app.services.rotation.resume(u!.id)
    expect(r.state).toBe('rolled-back')
    expect(r.newKeyOutcome).toBe('kept')
    expect(r.error).toContain('put back on the old key')
    await expectAllOnOld(w)
    await w.expectInvariants(r)
  })

  it('killed right after the rollback was journaled: resuming finishes it', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterState: 'rolling-back' }, rejecting)).start(w.key.id)).rejects.toBeInstanceOf(
      Crash
    )
    const app = await w.restart()
    const r = await app.services.rotation.resume(app.services.rotation.unfinished()[0]!.id)
    expect(r.state).toBe('rolled-back')
    await expectAllOnOld(w)
    await w.expectInvariants(r)
  })

  for (const plan of [{ afterState: 'rolling-back' }, { afterRestore: 2 }]) {
    it(`a rollback asked for and killed ${plan.afterState ? 'once journaled' : 'half way'} is finished on resume and revokes the new key`, async () => {
      const w = await world()
      w.proxy.fail({ method: 'POST', path: /validate$/, fault: { status: 503 }, times: 100 })
      const stuck = await w.ctx.services.rotation.start(w.key.id)
      expect(stuck.state).toBe('bindings-updated')
      w.proxy.clear()
      await expect(createRotationEngine(dyingDeps(w, plan)).rollback(stuck.id)).rejects.toBeInstanceOf(Crash)
      const app = await w.restart()
      expect(app.services.rotation.unfinished()[0]!.state).toBe('rolling-back')
      const r = await app.services.rotation.resume(stuck.id)
      expect(r).toMatchObject({ state: 'rolled-back', newKeyOutcome: 'revoked' })
      await expectAllOnOld(w)
      expect((await w.check(r)).listed.map((k) => k.name)).toEqual(['main'])
      await w.expectInvariants(r)
    })
  }

  it('keeps the new key on request when rolling back', async () => {
    const w = await world()
    w.proxy.fail({ method: 'POST', path: /validate$/, fault: { status: 503 }, times: 100 })
    const stuck = await w.ctx.services.rotation.start(w.key.id)
    w.proxy.clear()
    const r = await w.ctx.services.rotation.rollback(stuck.id, { keepNewKey: true })
    expect(r).toMatchObject({ state: 'rolled-back', newKeyOutcome: 'kept' })
    const c = await w.check(r)
    expect(c.newAccepted).toBe(true)
    expect(w.ctx.services.keys.list().find((k) => k.id === r.newKeyId)).toMatchObject({ status: 'active', inVault: true })
    // Deciding later: the kept key can still be revoked from the finished rotation.
    const revoked = await w.ctx.services.rotation.rollback(r.id, { keepNewKey: false })
    expect(revoked.newKeyOutcome).toBe('revoked')
    expect((await w.check(r)).listed.map((k) => k.name)).toEqual(['main'])
  })
})

describe('one tool that cannot be put back does not stop the rollback', () => {
  it('restores every other tool, keeps the new key alive for the broken one, and finishes once it is fixed', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterUpdate: 3 })).start(w.key.id)).rejects.toBeInstanceOf(Crash)
    const app = await w.restart()
    const [u] = app.services.rotation.unfinished()
    // The cursor file was updated just before the crash, then someone broke it.
    const cursor = app.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    const original = await readFile(cursor.file, 'utf8')
    expect(original).not.toContain(w.oldValue)
    await writeFile(cursor.file, '{ "mcpServers": { oops ')
    const stuck = await app.services.rotation.rollback(u!.id)
    expect(stuck.state).toBe('rolling-back')
    expect(stuck.error).toMatch(/Cursor \(global\).*could not be put back.*syntax error/)
    expect(stuck.bindings.find((e) => e.bindingId === cursor.id)?.message).toContain('syntax error')
    expect(stuck.bindings.filter((e) => e.status === 'restored')).toHaveLength(3)
    // The broken file may still send the new key: it must not be revoked yet.
    expect((await w.check(stuck)).newAccepted).toBe(true)
    await writeFile(cursor.file, original)
    const r = await app.services.rotation.resume(u!.id)
    expect(r).toMatchObject({ state: 'rolled-back', newKeyOutcome: 'revoked' })
    await expectAllOnOld(w)
    await w.expectInvariants(r)
  })

  it('forgets a tool whose entry was deleted and finishes the rollback', async () => {
    const w = await world()
    w.proxy.fail({ method: 'POST', path: /validate$/, fault: { status: 503 }, times: 100 })
    const stuck = await w.ctx.services.rotation.start(w.key.id)
    w.proxy.clear()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    await writeFile(cursor.file, '{ "mcpServers": {} }\n')
    const r = await w.ctx.services.rotation.rollback(stuck.id)
    expect(r.state).toBe('rolled-back')
    expect(r.bindings.find((e) => e.bindingId === cursor.id)).toMatchObject({
      status: 'forgotten',
      message: expect.stringContaining('gone')
    })
    expect(w.ctx.services.bindings.list().map((b) => b.id)).not.toContain(cursor.id)
    await w.expectInvariants(r)
  })
})
