import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppOptions } from '../../../src/main/app/options'
import { SANDBOX_SIGN_IN_LOST } from '../../../src/main/providers/sandbox-provider'
import { accounts } from '../../../src/main/vault/secret-store'
import { cliIn } from '../../support/cli'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.ctx.close()
})

/** A vault with a sandbox key, and another Keywarden on the same data folder and keychain entries. */
async function vaultWithKey() {
  const first = await testContext({ timeoutMs: 5000 })
  open.push(first)
  await first.ctx.api.keys.create({ providerId: 'sandbox', name: 'kept key' })
  const again = async (sandbox: AppOptions['sandbox']) => {
    const c = await testContext({
      timeoutMs: 5000,
      sandbox,
      dataDir: join(first.root, 'data'),
      home: join(first.root, 'home'),
      secrets: first.secrets
    })
    open.push(c)
    return c
  }
  const loseSignIn = () =>
    Promise.all([first.secrets.delete(accounts.providerPassword('sandbox')), first.secrets.delete(accounts.providerSession('sandbox'))])
  return { first, again, loseSignIn }
}

describe('the keychain loses the Local sandbox sign-in while the data folder stays', () => {
  it('the next Keywarden that serves the sandbox sets a new sign-in: sync lists the kept keys, in the window and the command line', async () => {
    const { first, again, loseSignIn } = await vaultWithKey()
    await loseSignIn()
    await first.ctx.close()
    open.splice(open.indexOf(first), 1)
    const c = await again('start')
    expect(await c.ctx.dispatch('keys.sync', {})).toEqual({
      ok: true,
      data: { providers: [{ providerId: 'sandbox', ok: true, keyCount: 1 }] }
    })
    expect(await cliIn(c.ctx, 'keys', 'sync')).toMatchObject({ code: 0, out: expect.stringContaining('1 keys') })
    expect((await c.ctx.api.keys.list()).map((k) => k.name)).toEqual(['kept key'])
    expect(await first.secrets.get(accounts.providerPassword('sandbox'))).toBeTruthy()
  })

  it('a Keywarden using a sandbox another one serves says what happened and what to do, the same in the window and the command line', async () => {
    const { again, loseSignIn } = await vaultWithKey()
    await loseSignIn()
    const attached = await again('attach')
    expect((await attached.ctx.api.app.status()).sandbox).toMatchObject({ running: true, lasting: true })
    const fromWindow = await attached.ctx.dispatch('keys.sync', {})
    expect(fromWindow).toEqual({
      ok: true,
      data: { providers: [{ providerId: 'sandbox', ok: false, error: SANDBOX_SIGN_IN_LOST, keyCount: 0 }] }
    })
    const fromCli = await cliIn(attached.ctx, 'keys', 'sync')
    expect(fromCli.code).not.toBe(0)
    expect(fromCli.out).toContain(`failed: ${SANDBOX_SIGN_IN_LOST}`)
    expect(SANDBOX_SIGN_IN_LOST).toContain('Close and reopen the Keywarden app, or stop `keywarden sandbox` and run it again')
    expect((await attached.ctx.api.providers.list())[0]!.sync).toMatchObject({ error: SANDBOX_SIGN_IN_LOST, errorCode: 'unauthorized' })
  })

  it('with no sign-in in the keychain at all, the same words, never "sign in again" to a sandbox that has no sign-in form', async () => {
    const { again, loseSignIn } = await vaultWithKey()
    const attached = await again('attach')
    await loseSignIn()
    const result = await attached.ctx.dispatch('keys.sync', {})
    expect(result).toEqual({
      ok: true,
      data: { providers: [{ providerId: 'sandbox', ok: false, error: SANDBOX_SIGN_IN_LOST, keyCount: 0 }] }
    })
  })

  it('doing what it says works: the serving Keywarden restarted, the other one syncs again', async () => {
    const { first, again, loseSignIn } = await vaultWithKey()
    await loseSignIn()
    const attached = await again('attach')
    expect(await attached.ctx.dispatch('keys.sync', {})).toMatchObject({
      data: { providers: [{ ok: false, error: SANDBOX_SIGN_IN_LOST }] }
    })
    await first.ctx.close()
    open.splice(open.indexOf(first), 1)
    const restarted = await again('start')
    expect(await restarted.ctx.dispatch('keys.sync', {})).toMatchObject({ ok: true, data: { providers: [{ ok: true, keyCount: 1 }] } })
    expect((await restarted.ctx.api.app.status()).sandbox.url).toBe((await attached.ctx.api.app.status()).sandbox.url)
    expect(await cliIn(attached.ctx, 'keys', 'sync')).toMatchObject({ code: 0, out: expect.stringContaining('1 keys') })
  })
})
