import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { rotationWorlds } from '../rotation/world'

const { ctx, fake } = scoped({ timeoutMs: 500, sandbox: 'off' })
const { world } = rotationWorlds()

// Shapeless on purpose: no prefix, no digit, nothing a pattern would catch; only its value gives it away.
const MANAGEMENT_KEY = 'lyceummanagementkeymadeofplainletters'

describe('a credential a service echoes back', () => {
  it('never reaches vault.json or the sync result, whatever its shape', async () => {
    const c = await ctx()
    const lyceum = await fake({ status: 403, body: JSON.stringify({ detail: `key ${MANAGEMENT_KEY} may not list keys` }) })
    const p = await c.services.providers.connect({ kind: 'lyceum', baseUrl: lyceum.url, apiKey: MANAGEMENT_KEY })
    const result = await c.api.keys.sync({ providerId: p.id })
    expect(result.providers[0]).toMatchObject({ ok: false, error: expect.stringContaining('may not list keys') })
    expect(JSON.stringify(result)).not.toContain(MANAGEMENT_KEY)
    expect(await readFile(c.services.vault.file, 'utf8')).not.toContain(MANAGEMENT_KEY)
  })

  it("never reaches the rotation journal, even when it is the provider's password", async () => {
    const w = await world()
    const password = 'a-long-test-password'
    w.proxy.fail({
      method: 'POST',
      path: /api-keys\/$/,
      fault: { status: 403, body: JSON.stringify({ detail: `refused for ${password}` }) },
      times: 100
    })
    const r = await w.ctx.api.rotations.start({ keyId: w.key.id })
    expect(r.error).toContain('refused for')
    expect(JSON.stringify(r)).not.toContain(password)
    expect(await readFile(join(w.ctx.dataDir, 'rotations.json'), 'utf8')).not.toContain(password)
    expect(await readFile(w.ctx.services.vault.file, 'utf8')).not.toContain(password)
  })
})
