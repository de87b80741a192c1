import { describe, expect, it } from 'vitest'
import { createRotationEngine } from '../../../src/main/rotation/engine'
import type { Provider } from '../../../src/shared/schemas'
import { cliIn } from '../../support/cli'
import { Crash, dyingDeps, rotationWorlds } from './world'

const { world } = rotationWorlds()

describe('a sync while a rotation is unfinished', () => {
  it('leaves the old key as it is when the service no longer lists it, and says what it saw', async () => {
    const w = await world()
    await expect(createRotationEngine(dyingDeps(w, { afterState: 'created' })).start(w.key.id)).rejects.toBeInstanceOf(Crash)
    const app = await w.restart()
    // Someone revokes the old key in the service's dashboard while the rotation waits.
    const adapter = app.services.adapterFor(app.services.vault.providers.get(w.provider.id) as Provider)
    await adapter.revokeKey!(w.key.remoteId!)
    const result = await app.api.keys.sync({ providerId: w.provider.id })
    expect(app.services.vault.keys.get(w.key.id)).toMatchObject({ status: 'active', inVault: true })
    expect(app.services.vault.keys.get(w.key.id).goneFromService).toBeUndefined()
    expect(result.providers[0]!.notes).toEqual([expect.stringMatching(/"main" \(\w+…\) is being rotated and Lyceum no longer lists it/)])
    // The command line prints it too.
    const printed = await cliIn(app, 'keys', 'sync', '--provider', w.provider.id)
    expect(printed.out).toContain('note: "main"')
    expect(printed.out).toContain('is being rotated')
    await app.close()
  })

  it('a check of a dashboard key a rotation holds never marks it revoked, and says why', async () => {
    const w = await world()
    const { ctx } = w
    // A dashboard-managed service: keys are made by a person, checked one by one with a check URL.
    const sandboxUrl = ctx.services.sandbox!.url
    const json = { 'content-type': 'application/json' }
    await fetch(`${sandboxUrl}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'acme@example.com', password: 'a-long-test-password' })
    })
    const session = (await (
      await fetch(`${sandboxUrl}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'acme@example.com', password: 'a-long-test-password' })
      })
    ).json()) as { access_token: string }
    const auth = { authorization: `Bearer ${session.access_token}`, ...json }
    const made = (await (
      await fetch(`${sandboxUrl}/auth/api-keys/`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'acme' }) })
    ).json()) as { id: string; api_key: string }
    const provider = await ctx.services.providers.connect({
      kind: 'custom',
      custom: {
        name: 'Acme AI',
        header: { name: 'Authorization', scheme: 'Bearer' },
        checkUrl: `${sandboxUrl}/auth/api-keys/`,
        mcpUrl: ctx.services.sandbox!.mcpUrl,
        dashboardUrl: 'https://dashboard.acme.example/keys'
      }
    })
    const { key } = await ctx.api.keys.import({ value: made.api_key, providerId: provider.id, name: 'acme' })
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state).toBe('awaiting-new-key')
    // The person revokes the old key in the dashboard before pasting the new one.
    await fetch(`${sandboxUrl}/auth/api-keys/${made.id}`, { method: 'DELETE', headers: auth })
    const synced = await ctx.api.keys.sync({ providerId: provider.id })
    expect(ctx.services.vault.keys.get(key.id).status).toBe('active')
    expect(synced.providers[0]!.notes).toEqual([expect.stringContaining('"acme" (')])
    expect(synced.providers[0]!.notes![0]).toContain('is being rotated and Acme AI rejects it')
    const checked = await ctx.api.keys.validate({ keyId: key.id })
    expect(checked.valid).toBe(false)
    expect(checked.message).toContain('is being rotated')
    expect(ctx.services.vault.keys.get(key.id).status).toBe('active')
  })
})
