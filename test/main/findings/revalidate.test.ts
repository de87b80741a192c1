import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../../src/shared/findings'
import { scoped } from '../../support/scoped'
import { makeKey } from './planted'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

describe('checking found keys with their service', () => {
  it('turns "unknown" into active or revoked where the service is connected, and leaves the others unknown', async () => {
    const ctx = await s.ctx()
    const call = ctx.dispatch
    const sandbox = ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!)
    const live = await sandbox.createKey!({ name: 'live elsewhere' })
    const dead = await sandbox.createKey!({ name: 'revoked elsewhere' })
    await sandbox.revokeKey!(dead.record.remoteId!)
    const github = makeKey.github()
    await mkdir(ctx.home, { recursive: true })
    await writeFile(join(ctx.home, '.bash_history'), `a ${live.value}\nb ${dead.value}\nc ${github}\n`)
    const scan = (await call('findings.scan', {})) as { ok: true; data: { findings: Finding[] } }
    expect(scan.data.findings.map((f) => f.state)).toEqual(['unknown', 'unknown', 'unknown'])
    const checked = (await call('findings.revalidate', { findingIds: scan.data.findings.map((f) => f.id) })) as {
      ok: true
      data: Finding[]
    }
    const byLine = Object.fromEntries(checked.data.map((f) => [f.line, [f.state, f.severity]]))
    expect(byLine).toEqual({ 1: ['active', 'medium'], 2: ['revoked', 'info'], 3: ['unknown', 'medium'] })
    expect(JSON.stringify(checked)).not.toContain(live.value.slice(8))
  })
})
