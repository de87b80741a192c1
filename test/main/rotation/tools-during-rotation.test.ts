import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import { accounts } from '../../../src/main/vault/secret-store'
import { Crash, dyingDeps, rotationWorlds, type World } from './world'
import { writeVaultAsAnotherProcess } from '../../support/vault-file'

const { world } = rotationWorlds()

/** Adds a Cursor-project entry holding the old key that the rotation's plan does not know about. */
async function entryUnknownToThePlan(w: World) {
  const p = await w.ctx.services.bindings.preview({
    keyId: w.key.id,
    client: 'cursor',
    scope: 'project',
    projectPath: w.project,
    serverName: 'late',
    placement: 'inline'
  })
  const { binding } = await w.ctx.services.bindings.apply(p.planId)
  await w.ctx.services.vault.bindings.forget([binding.id])
  return binding
}

describe('tools added to a key while it is being rotated', () => {
  it('refuses to add or adopt a tool for a key mid-rotation, saying what to do', async () => {
    const w = await world()
    const early = await w.ctx.services.bindings.preview({
      keyId: w.key.id,
      client: 'cursor',
      scope: 'project',
      projectPath: w.project,
      serverName: 'early'
    })
    w.proxy.fail({ method: 'POST', path: /api-keys\/$/, fault: { status: 503 }, times: 100 })
    const stuck = await w.ctx.services.rotation.start(w.key.id)
    expect(stuck.state).toBe('creating')
    const refused = { code: 'conflict', message: expect.stringContaining('is being rotated') }
    await expect(
      w.ctx.services.bindings.preview({ keyId: w.key.id, client: 'cursor', scope: 'project', projectPath: w.project })
    ).rejects.toMatchObject(refused)
    await expect(w.ctx.services.bindings.apply(early.planId)).rejects.toMatchObject(refused)
    await expect(
      w.ctx.services.bindings.adopt({ client: 'cursor', scope: 'global', serverName: 'lyceum-main', keyId: w.key.id })
    ).rejects.toMatchObject(refused)
    expect(await readFile(early.file, 'utf8').catch(() => '')).not.toContain('early')
  })

  for (const at of ['created', 'verified'] as const) {
    it(`moves a binding the old key gained after planning (found ${at === 'created' ? 'when updating tools' : 'just before the revoke'}) to the new key`, async () => {
      const w = await world()
      const late = await entryUnknownToThePlan(w)
      await expect(createRotationEngine(dyingDeps(w, { afterState: at })).start(w.key.id)).rejects.toBeInstanceOf(Crash)
      // Another process recorded it while this one was down.
      await writeVaultAsAnotherProcess(w.ctx.dataDir, (d) => {
        d.bindings.push(late)
      })
      const app = await w.restart()
      const r = await app.services.rotation.resume(app.services.rotation.unfinished()[0]!.id)
      expect(r.state, r.error).toBe('done')
      expect(app.services.vault.bindings.list().find((b) => b.id === late.id)?.keyId).toBe(r.newKeyId)
      const text = await readFile(late.file, 'utf8')
      expect(text).toContain((await w.ctx.secrets.get(accounts.key(r.newKeyId)))!)
      expect(text).not.toContain(w.oldValue)
      await w.expectInvariants(r)
    })
  }
})

describe('tools only a person can update', () => {
  it("waits before the revoke for VS Code's encrypted copy, then finishes once the person confirms", async () => {
    const w = await world()
    const p = await w.ctx.services.bindings.preview({
      keyId: w.key.id,
      client: 'vscode',
      scope: 'user',
      placement: 'input',
      serverName: 'ask'
    })
    const { binding } = await w.ctx.services.bindings.apply(p.planId)
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    expect(r.bindings.find((e) => e.bindingId === binding.id)).toMatchObject({
      status: 'needs-person',
      message: expect.stringContaining('re-enter the new key')
    })
    expect((await w.check(r)).oldAccepted).toBe(true)
    // Resuming alone does not count as the person's confirmation.
    expect((await w.ctx.services.rotation.resume(r.id)).state).toBe('awaiting-person')
    const done = await w.ctx.services.rotation.confirmEntered(r.id)
    expect(done.state).toBe('done')
    expect((await w.check(done)).oldAccepted).toBe(false)
  })

  it('skips a tool whose file no longer parses, keeps the old key alive for it, and finishes once it is fixed', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    const original = await readFile(cursor.file, 'utf8')
    await writeFile(cursor.file, '{ "mcpServers": { oops ')
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    expect(r.bindings.find((e) => e.bindingId === cursor.id)).toMatchObject({
      status: 'needs-person',
      message: expect.stringContaining('syntax error')
    })
    expect(r.bindings.filter((e) => e.status === 'updated')).toHaveLength(3)
    const mid = await w.invariants(r)
    expect(mid.oldAccepted).toBe(true)
    await writeFile(cursor.file, original)
    const done = await w.ctx.services.rotation.resume(r.id)
    expect(done.state, done.error).toBe('done')
    await w.expectInvariants(done)
  })

  it('forgets a tool whose entry was deleted and finishes the rotation', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    await writeFile(cursor.file, '{ "mcpServers": {} }\n')
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('done')
    expect(r.bindings.find((e) => e.bindingId === cursor.id)).toMatchObject({ status: 'forgotten' })
    expect(w.ctx.services.bindings.list().map((b) => b.id)).not.toContain(cursor.id)
    await w.expectInvariants(r)
  })
})

describe('entries someone changed by hand', () => {
  it('does not write the new key into an entry now pointing elsewhere, and does not revoke the old key under it', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    const text = await readFile(cursor.file, 'utf8')
    await writeFile(cursor.file, text.replace(/"url": "[^"]+"/, '"url": "https://elsewhere.example/mcp"'))
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    expect(r.bindings.find((e) => e.bindingId === cursor.id)?.message).toContain('elsewhere.example')
    const after = await readFile(cursor.file, 'utf8')
    expect(after).toContain(w.oldValue)
    expect(after).not.toContain((await w.ctx.secrets.get(accounts.key(r.newKeyId)))!)
    expect((await w.check(r)).oldAccepted).toBe(true)
    // The person removes the entry: the binding is forgotten and the rotation finishes.
    await writeFile(cursor.file, '{ "mcpServers": {} }\n')
    const done = await w.ctx.services.rotation.resume(r.id)
    expect(done.state, done.error).toBe('done')
  })

  it('does not overwrite an entry that holds a different key', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    const other = `sbx_${'z'.repeat(40)}`
    await writeFile(cursor.file, (await readFile(cursor.file, 'utf8')).replace(w.oldValue, other))
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    expect(r.bindings.find((e) => e.bindingId === cursor.id)?.message).toContain('another key (sbx_zzzz…)')
    expect(await readFile(cursor.file, 'utf8')).toContain(other)
    expect(JSON.stringify(w.ctx.services.journal.list())).not.toContain(other)
  })

  it('verifies with the URL and header read back from each file', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterState: 'bindings-updated' })).start(w.key.id)).rejects.toBeInstanceOf(Crash)
    // After the update, Cursor's entry was pointed at a server that turns the key away.
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    const text = await readFile(cursor.file, 'utf8')
    await writeFile(cursor.file, text.replace(/"url": "[^"]+"/, `"url": "${w.proxy.origin}/mcp"`))
    w.proxy.fail({ path: /^\/mcp/, fault: { status: 401 }, times: 100 })
    const app = await w.restart()
    const r = await app.services.rotation.resume(app.services.rotation.unfinished()[0]!.id)
    expect(r.state).toBe('rolled-back')
    expect(r.error).toContain('rejected the key')
    expect((await w.check(r)).oldAccepted).toBe(true)
  })
})
