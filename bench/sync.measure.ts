import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { testContext } from '../test/support/context'
import type { SandboxStore } from '../src/main/sandbox/store'
import { median, report } from './report'

it('sync of 10,000 sandbox keys, and keychain reads to show the list', async () => {
  const { ctx, secrets } = await testContext()
  const sandbox = ctx.services.sandbox as unknown as { url: string; store: SandboxStore }
  const password = (await secrets.get('provider:sandbox:password'))!
  const account = (await (
    sandbox as unknown as { store: { checkPassword(e: string, p: string): Promise<{ id: string }> } }
  ).store.checkPassword('you@sandbox.local', password))!
  const now = new Date().toISOString()
  await Promise.all(
    Array.from({ length: 10_000 }, (_, i) =>
      sandbox.store.addKey(
        {
          id: randomUUID(),
          owner: account.id,
          name: `bench key ${i}`,
          prefix: `sbx_${String(i).padStart(4, '0')}`,
          created_at: now,
          expires_at: null,
          active: true,
          last_used_at: null,
          request_count: 0,
          idempotency_key: null
        },
        `sbx_bench_${i}_${randomUUID()}`
      )
    )
  )
  await sandbox.store.flush()
  await ctx.services.sync.sync('sandbox') // first sync adds the 10,000 keys to the vault
  expect(ctx.services.keys.list()).toHaveLength(10_000)

  const login = (await (
    await fetch(`${sandbox.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'you@sandbox.local', password })
    })
  ).json()) as { access_token: string }
  const raw = await median(7, async () => {
    const t = performance.now()
    const res = await fetch(`${sandbox.url}/auth/api-keys/`, { headers: { authorization: `Bearer ${login.access_token}` } })
    const list = JSON.parse(await res.text()) as unknown[]
    if (list.length !== 10_000) throw new Error('short list')
    return performance.now() - t
  })
  const sync = await median(7, async () => {
    const t = performance.now()
    const r = await ctx.services.sync.sync('sandbox')
    if (!r.providers[0]?.ok) throw new Error(r.providers[0]?.error)
    return performance.now() - t
  })
  const adapter = ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!)
  const listOnly = await median(7, async () => {
    const t = performance.now()
    await adapter.listKeys!()
    return performance.now() - t
  })
  report('  of which: list through the adapter (HTTP + schema)', { value: listOnly, baseline: raw, unit: 'ms' })
  report('sync of 10,000 sandbox keys', {
    value: sync,
    baseline: raw,
    unit: 'ms',
    target: '≤ 1.2×',
    note: 'baseline: raw fetch + JSON.parse of the same list'
  })

  secrets.reads = 0
  const dispatch = ctx.dispatch
  const listed = await dispatch('keys.list', {})
  expect(listed.ok).toBe(true)
  report('keychain reads to show 10,000 keys', { value: secrets.reads, unit: 'reads', target: '0' })
  await ctx.close()
})
