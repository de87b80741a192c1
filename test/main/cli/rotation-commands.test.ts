import { afterEach, describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

const cli = (c: Ctx, ...args: string[]) => cliIn(c.ctx, ...args)

/** A key whose rotation stops before the revoke: VS Code keeps its own encrypted copy. */
async function keyWithVsCodeInput(c: Ctx, name: string) {
  const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name })
  const p = await c.ctx.services.bindings.preview({ keyId: key.id, client: 'vscode', scope: 'user', placement: 'input', serverName: name })
  await c.ctx.services.bindings.apply(p.planId)
  return key
}

describe('rotation from the command line', () => {
  it('stops before the revoke when a person must act, says how to continue, and accepts the short id shown', async () => {
    const c = await testContext()
    open.push(c)
    await keyWithVsCodeInput(c, 'ask')
    const first = await cli(c, 'rotate', 'ask')
    expect(first.code).toBe(1)
    expect(first.out).toMatch(/Rotation (\w{8}): awaiting-person/)
    expect(first.out).toContain('re-enter the new key')
    const id = /Rotation (\w{8})/.exec(first.out)![1]!
    expect(first.err).toContain(`keywarden rotate --confirm ${id}`)
    // A later, finished rotation is listed after the unfinished one.
    await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'plain' })
    expect((await cli(c, 'rotate', 'plain')).code).toBe(0)
    const rows = (await cli(c, 'rotations')).out.split('\n').slice(1)
    expect(rows[0]).toMatch(new RegExp(`^${id}\\s+ask\\s+.*awaiting-person \\(unfinished\\)`))
    expect(rows[1]).toMatch(/plain\s+.*done/)
    const resumed = await cli(c, 'rotate', '--resume', id)
    expect(resumed.code).toBe(1)
    const done = await cli(c, 'rotate', '--confirm', id)
    expect(done).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`Rotation ${id}: done`)) })
  })

  it('rolls back by short id, keeping the new key when asked', async () => {
    const c = await testContext()
    open.push(c)
    const key = await keyWithVsCodeInput(c, 'ask')
    const id = /Rotation (\w{8})/.exec((await cli(c, 'rotate', 'ask')).out)![1]!
    const back = await cli(c, 'rotate', '--rollback', id.slice(0, 5), '--keep-new-key')
    expect(back.code).toBe(0)
    expect(back.out).toContain('rolled-back')
    const r = c.ctx.services.journal.list()[0]!
    expect(r.newKeyOutcome).toBe('kept')
    expect(c.ctx.services.keys.list().find((k) => k.id === r.newKeyId)).toMatchObject({ status: 'active' })
    expect(c.ctx.services.keys.list().find((k) => k.id === key.id)).toMatchObject({ status: 'active' })
  })

  it('says clearly when no rotation matches the id given', async () => {
    const c = await testContext()
    open.push(c)
    expect(await cli(c, 'rotate', '--resume', 'zzzz')).toMatchObject({
      code: 2,
      err: expect.stringContaining('No rotation matches "zzzz"')
    })
  })
})
