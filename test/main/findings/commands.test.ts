import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { scoped } from '../../support/scoped'
import { makeKey } from './planted'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

describe('scan and activity from the command line and the window', () => {
  it('keywarden scan lists plain-text keys, masked, with where they are; --json carries no value', async () => {
    const ctx = await s.ctx()
    const { key, secret } = await ctx.services.keys.create({ providerId: ctx.services.vault.providers.list()[0]!.id, name: 'Work laptop' })
    const project = join(ctx.home, 'src', 'api')
    await mkdir(project, { recursive: true })
    const github = makeKey.github()
    await writeFile(join(project, '.env.production'), `SANDBOX=${secret}\nGH=${github}\n`)
    const text = await cliIn(ctx, 'scan', project)
    expect(text.code).toBe(0)
    expect(text.out).toContain(`Work laptop (${secret.slice(0, 8)}…)`)
    expect(text.out).toMatch(/high\s+ghp_\S+…\s+GitHub\s+unknown\s+~?\S*\.env\.production:2/)
    expect(text.out).not.toContain(secret.slice(8))
    const json = await cliIn(ctx, 'scan', '--json', project)
    const result = JSON.parse(json.out)
    expect(result.findings).toHaveLength(2)
    expect(result.findings.find((f: { key?: { id: string } }) => f.key)).toMatchObject({
      key: { id: key.id, match: 'exact' },
      state: 'active'
    })
    expect(json.out).not.toContain(secret.slice(8))
    expect(json.out).not.toContain(github.slice(8))
    expect((await cliIn(ctx, 'activity', '--kind', 'nonsense')).err).toMatch(/Unknown kind "nonsense"/)
  })

  it('the window scans, secures by id and sees it in the activity log; hostile input is refused', async () => {
    const ctx = await s.ctx()
    const call = ctx.dispatch
    const history = join(ctx.home, '.bash_history')
    const github = makeKey.github()
    await mkdir(ctx.home, { recursive: true })
    await writeFile(history, `export GH=${github}\n`)
    const scan = (await call('findings.scan', {})) as { ok: true; data: { findings: Array<{ id: string; source: string }> } }
    expect(scan.ok).toBe(true)
    const [finding] = scan.data.findings
    expect(finding).toMatchObject({ source: 'shell-history' })
    expect(await call('findings.secure', { findingIds: [finding!.id], confirmRedaction: false })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/confirm it first/) }
    })
    expect(await call('findings.secure', { findingIds: [finding!.id], confirmRedaction: true })).toMatchObject({ ok: true })
    expect(await readFile(history, 'utf8')).not.toContain(github.slice(8))
    const log = (await call('activity.list', { kind: 'findings.redact' })) as { ok: true; data: { events: Array<{ file: string }> } }
    expect(log.data.events).toEqual([expect.objectContaining({ kind: 'findings.redact', by: 'window', file: history })])
    expect(await call('findings.scan', { folders: ['relative/path'] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await call('findings.secure', { findingIds: [], confirmRedaction: true })).toMatchObject({ ok: false })
    expect(await call('findings.secure', { findingIds: ['nope'], confirmRedaction: true })).toMatchObject({
      ok: false,
      error: { code: 'not-found' }
    })
  })
  it('refuses a folder being added that is relative or not there, saving nothing; a saved folder since removed is only noted', async () => {
    const ctx = await s.ctx()
    const call = ctx.dispatch
    const project = join(ctx.home, 'src', 'gone-soon')
    await mkdir(project, { recursive: true })
    expect(await call('findings.scan', { folders: [project] })).toMatchObject({ ok: true })
    expect(await call('findings.folders', {})).toEqual({ ok: true, data: [project] })

    for (const bad of ['src/app', join(ctx.home, 'definitely', 'not', 'here')]) {
      expect(await call('findings.scan', { folders: [project, bad] })).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(bad) }
      })
      // The list that worked is still the one saved.
      expect(await call('findings.folders', {})).toEqual({ ok: true, data: [project] })
    }

    // The saved folder is removed from disk: later scans still work, and say what was left out.
    await rm(project, { recursive: true })
    const later = (await call('findings.scan', {})) as { ok: true; data: { skipped: Array<{ file: string; reason: string }> } }
    expect(later).toMatchObject({ ok: true })
    expect(later.data.skipped).toEqual([{ file: project, reason: expect.stringMatching(/not found/) }])
    // From the command line, a path that is not there is said plainly.
    expect((await cliIn(ctx, 'scan', join(ctx.home, 'nowhere'))).err).toMatch(/There is no folder at .*nowhere/)
  })
})
