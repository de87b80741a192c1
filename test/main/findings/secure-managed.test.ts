import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientId } from '../../../src/shared/schemas'
import { accounts } from '../../../src/main/vault/secret-store'
import { testContext } from '../../support/context'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

/** Every file under a folder that holds the value. */
function filesHolding(root: string, value: string): string[] {
  try {
    return execFileSync('grep', ['-rlF', '--', value, root], { encoding: 'utf8' }).split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/** A key Keywarden made, added in plain text to the clients given (the placement a person can still pick). */
async function plainTextWorld(clients: ClientId[]) {
  const c = await testContext()
  close = c.ctx.close
  const { ctx } = c
  const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'exposed' })
  const secret = (await ctx.api.keys.reveal({ keyId: key.id })).secret
  const inline = []
  for (const client of clients) {
    const scope = client === 'cursor' ? 'global' : 'user'
    const preview = await ctx.api.bindings.preview({ keyId: key.id, client, scope, placement: 'inline' })
    inline.push((await ctx.api.bindings.apply({ planId: preview.planId })).binding)
  }
  return { ...c, key, secret, inline }
}

async function secureEveryConfigCopy(w: Awaited<ReturnType<typeof plainTextWorld>>) {
  const scan = await w.ctx.api.findings.scan({ history: false, transcripts: false })
  const copies = scan.findings.filter((f) => f.source === 'client-config')
  expect(copies).toHaveLength(w.inline.length)
  expect(copies.every((f) => f.key?.id === w.key.id)).toBe(true)
  return w.ctx.api.findings.secure({ findingIds: copies.map((f) => f.id), confirmRedaction: false })
}

describe('securing an entry Keywarden already manages', () => {
  it('leaves exactly one binding per entry, on its keyless placement, and the rotation it offers finishes', async () => {
    const w = await plainTextWorld(['cursor', 'claude-code', 'gemini-cli'])
    const outcomes = await secureEveryConfigCopy(w)
    expect(outcomes.every((o) => o.rotationOffered && o.done.join() === 'move')).toBe(true)

    const bindings = await w.ctx.api.bindings.list()
    expect(bindings.map((b) => [b.client, b.placement, b.serverName]).sort()).toEqual(
      w.inline.map((b) => [b.client, b.client === 'claude-code' ? 'helper' : 'bridge', b.serverName]).sort()
    )
    // The new binding points at the file and entry the plain-text one did; the old record is gone.
    for (const old of w.inline) {
      expect(bindings.find((b) => b.id === old.id)).toBeUndefined()
      expect(bindings.filter((b) => b.file === old.file && b.serverName === old.serverName)).toHaveLength(1)
    }
    for (const old of w.inline) expect(await readFile(old.file, 'utf8')).not.toContain(w.secret)

    // The rotation offered: nothing in any file to update, so it runs to the end and revokes the exposed key.
    const done = await w.ctx.api.rotations.start({ keyId: w.key.id })
    expect(done.state, done.error).toBe('done')
    const keys = await w.ctx.api.keys.list()
    expect(keys.find((k) => k.id === w.key.id)!.status).toBe('revoked')
    const after = await w.ctx.api.bindings.list()
    expect(after).toHaveLength(3)
    const newKey = after[0]!.keyId
    expect(newKey).not.toBe(w.key.id)
    expect(after.every((b) => b.keyId === newKey)).toBe(true)
    const newValue = (await w.secrets.get(accounts.key(newKey)))!
    expect(filesHolding(w.root, w.secret)).toEqual([])
    expect(filesHolding(w.root, newValue)).toEqual([])
    // The service agrees: the exposed copy no longer works.
    const provider = w.ctx.services.vault.providers.get('sandbox')
    expect((await w.ctx.services.adapterFor(provider).validateKey(w.secret)).valid).toBe(false)
  })

  it('undo brings back the plain-text entry and its own binding, not a second one', async () => {
    const w = await plainTextWorld(['cursor'])
    const before = await readFile(w.inline[0]!.file, 'utf8')
    const [outcome] = await secureEveryConfigCopy(w)
    await w.ctx.api.findings.undo({ changeId: outcome!.changeId! })
    expect(await readFile(w.inline[0]!.file, 'utf8')).toBe(before)
    expect(await w.ctx.api.bindings.list()).toEqual([w.inline[0]])
  })

  it('refuses to undo once the rotation has revoked the key the old entry held, and changes nothing', async () => {
    const w = await plainTextWorld(['claude-code'])
    const [outcome] = await secureEveryConfigCopy(w)
    expect((await w.ctx.api.rotations.start({ keyId: w.key.id })).state).toBe('done')
    const file = w.inline[0]!.file
    const text = await readFile(file, 'utf8')
    const bindings = await w.ctx.api.bindings.list()
    await expect(w.ctx.api.findings.undo({ changeId: outcome!.changeId! })).rejects.toThrow(/that key is revoked.*Nothing was changed/)
    expect(await readFile(file, 'utf8')).toBe(text)
    expect(await w.ctx.api.bindings.list()).toEqual(bindings)
  })
})
