import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openApp } from '../../../src/main/app/open-app'
import { accounts } from '../../../src/main/vault/secret-store'
import { cliIn } from '../../support/cli'
import { rotationWorlds, type World } from './world'

const { world, defer } = rotationWorlds()

/** The same vault opened by a process with another HOME, XDG_CONFIG_HOME and CLAUDE_CONFIG_DIR. */
async function underAnotherEnvironment(w: World) {
  const elsewhere = join(w.root, 'elsewhere')
  await mkdir(elsewhere, { recursive: true })
  const app = await openApp({
    dataDir: w.ctx.dataDir,
    secrets: w.secrets,
    clipboard: w.clipboard,
    version: 'test',
    home: join(elsewhere, 'home'),
    platform: 'linux',
    env: { XDG_CONFIG_HOME: join(elsewhere, 'xdg'), CLAUDE_CONFIG_DIR: join(elsewhere, 'claude') },
    sandbox: 'off',
    timeoutMs: 1500,
    backoffMs: 5,
    sleep: async () => {}
  })
  await app.start()
  defer(() => app.close())
  return app
}

describe('rotation updates the files recorded with each binding', () => {
  it('started under another environment, it updates every recorded file and forgets none', async () => {
    const w = await world()
    const before = w.ctx.services.vault.bindings.list()
    const app = await underAnotherEnvironment(w)
    const r = await app.services.rotation.start(w.key.id)
    expect(r.state, r.error).toBe('done')
    expect(r.bindings.map((e) => e.status)).toEqual(before.map(() => 'updated'))
    const newValue = (await w.secrets.get(accounts.key(r.newKeyId)))!
    for (const b of before.filter((x) => x.placement === 'inline')) {
      const text = await readFile(b.file, 'utf8')
      expect(text, b.file).toContain(newValue)
      expect(text, b.file).not.toContain(w.oldValue)
    }
    expect(
      app.services.vault.bindings
        .list()
        .map((b) => b.id)
        .sort()
    ).toEqual(before.map((b) => b.id).sort())
  })

  it('a binding whose file has moved is reported, not forgotten, and the old key stays until it is back', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    await rename(cursor.file, `${cursor.file}.moved`)
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    const entry = r.bindings.find((e) => e.bindingId === cursor.id)!
    expect(entry.status).toBe('needs-person')
    expect(entry.message).toContain(cursor.file)
    expect(entry.message).toMatch(/moved/)
    expect(w.ctx.services.vault.bindings.find(cursor.id)).toBeDefined()
    const adapter = w.ctx.services.adapterFor(w.ctx.services.vault.providers.get(w.provider.id))
    expect((await adapter.validateKey(w.oldValue)).valid).toBe(true)
    await rename(`${cursor.file}.moved`, cursor.file)
    const done = await w.ctx.services.rotation.resume(r.id)
    expect(done.state, done.error).toBe('done')
    await w.expectInvariants(done)
  })

  it('a file deleted on purpose: the rotation names the command that forgets its binding, and then finishes', async () => {
    const w = await world()
    const cursor = w.ctx.services.vault.bindings.list().find((b) => b.client === 'cursor')!
    await rm(cursor.file)
    const r = await w.ctx.services.rotation.start(w.key.id)
    expect(r.state).toBe('awaiting-person')
    const message = r.bindings.find((e) => e.bindingId === cursor.id)!.message!
    const command = /`keywarden (bindings remove \S+ --yes)`/.exec(message)![1]!.split(' ')
    expect(await cliIn(w.ctx, ...command)).toMatchObject({ code: 0, out: expect.stringContaining('was already gone from') })
    await expect(stat(cursor.file)).rejects.toMatchObject({ code: 'ENOENT' })
    const done = await w.ctx.services.rotation.resume(r.id)
    expect(done.state, done.error).toBe('done')
    expect(w.ctx.services.vault.bindings.find(cursor.id)).toBeUndefined()
  })
})
