import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findingsContextOf } from '../../support/findings-context'
import { checkDrift, planRepair } from '../../../src/main/findings/drift'
import { driftDeps } from '../../../src/main/findings/drift-wiring'
import { scoped } from '../../support/scoped'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

describe('entries a client rewrote', () => {
  it('reports intact, changed and missing entries, and writes them back as a change with a masked preview', async () => {
    const ctx = await s.ctx()
    const providerId = ctx.services.vault.providers.list()[0]!.id
    const { key, secret } = await ctx.services.keys.create({ providerId, name: 'drift' })
    const add = async (client: 'claude-code' | 'cursor', scope: string, placement: 'helper' | 'inline') =>
      ctx.services.bindings.apply((await ctx.services.bindings.preview({ keyId: key.id, client, scope, placement })).planId)
    await add('claude-code', 'user', 'helper')
    await add('cursor', 'global', 'inline')
    const deps = driftDeps(findingsContextOf(ctx))
    expect((await checkDrift(ctx.services.bindings.list(), deps)).map((r) => r.state)).toEqual(['intact', 'intact'])

    // Claude Code rewrites its file without the server; someone points Cursor's entry elsewhere.
    const claudeFile = join(ctx.home, '.claude.json')
    const claude = JSON.parse(await readFile(claudeFile, 'utf8'))
    await writeFile(claudeFile, JSON.stringify({ ...claude, mcpServers: {}, numStartups: 9 }))
    const cursorFile = join(ctx.home, '.cursor', 'mcp.json')
    const cursor = JSON.parse(await readFile(cursorFile, 'utf8'))
    const name = Object.keys(cursor.mcpServers)[0]!
    cursor.mcpServers[name].url = 'https://elsewhere.example/mcp'
    cursor.mcpServers[name].note = 'added by the client'
    await writeFile(cursorFile, JSON.stringify(cursor, null, 2))

    const reports = await checkDrift(ctx.services.bindings.list(), deps)
    expect(reports.map((r) => [r.client, r.state, r.detail])).toEqual([
      ['claude-code', 'missing', undefined],
      ['cursor', 'changed', 'changed: url']
    ])
    expect(JSON.stringify(reports)).not.toContain(secret)

    const changes: string[] = []
    for (const b of ctx.services.bindings.list()) {
      const plan = await planRepair(b, deps)
      expect(plan.diff).not.toContain(secret)
      // The repair the window offers: the same plan, previewed by id, written as a normal change.
      const preview = await ctx.api.bindings.repairPreview({ bindingId: b.id })
      expect(preview.diff).toBe(plan.diff)
      changes.push((await ctx.api.bindings.repair({ planId: preview.planId })).changeId)
    }
    expect((await checkDrift(ctx.services.bindings.list(), deps)).map((r) => r.state)).toEqual(['intact', 'intact'])
    // The person's other edits and the client's own fields stay; the repair is undoable like any change.
    expect(JSON.parse(await readFile(claudeFile, 'utf8')).numStartups).toBe(9)
    await ctx.api.changes.undo({ changeId: changes[1]! })
    expect(JSON.parse(await readFile(cursorFile, 'utf8')).mcpServers[name].url).toBe('https://elsewhere.example/mcp')
  })

  it('reports a file that no longer parses without failing the others', async () => {
    const ctx = await s.ctx()
    const { key } = await ctx.services.keys.create({ providerId: ctx.services.vault.providers.list()[0]!.id, name: 'x' })
    await ctx.services.bindings.apply(
      (await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })).planId
    )
    await writeFile(join(ctx.home, '.cursor', 'mcp.json'), '{ "mcpServers": { ')
    const [report] = await checkDrift(ctx.services.bindings.list(), driftDeps(findingsContextOf(ctx)))
    expect(report).toMatchObject({ state: 'unreadable', detail: expect.stringMatching(/syntax error at line 1/) })
  })
  it('reports a binding whose place cannot be worked out any more, and still checks the rest', async () => {
    const ctx = await s.ctx()
    const { key } = await ctx.services.keys.create({ providerId: ctx.services.vault.providers.list()[0]!.id, name: 'y' })
    await ctx.services.bindings.apply(
      (await ctx.services.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement: 'inline' })).planId
    )
    const [real] = ctx.services.bindings.list()
    const stray = { ...real!, id: 'stray', scope: 'a-scope-cursor-dropped' }
    const reports = await checkDrift([stray, real!], driftDeps(findingsContextOf(ctx)))
    expect(reports.map((r) => [r.bindingId, r.state])).toEqual([
      ['stray', 'unreadable'],
      [real!.id, 'intact']
    ])
  })

  it('checks the other entries when one holds a key revoked with its value gone from the keychain, and reports that one present', async () => {
    const ctx = await s.ctx()
    const provider = ctx.services.vault.providers.list()[0]!.id
    const add = async (name: string, client: 'cursor' | 'claude-code', scope: string) => {
      const { key } = await ctx.services.keys.create({ providerId: provider, name })
      await ctx.services.bindings.apply((await ctx.services.bindings.preview({ keyId: key.id, client, scope, placement: 'inline' })).planId)
      return key
    }
    const revoked = await add('revoked', 'cursor', 'global')
    await add('kept', 'claude-code', 'user')
    await ctx.services.keys.revoke(revoked.id)
    const claude = join(ctx.home, '.claude.json')
    const text = JSON.parse(await readFile(claude, 'utf8'))
    delete text.mcpServers[Object.keys(text.mcpServers)[0]!].headers
    await writeFile(claude, JSON.stringify(text))
    const reports = await checkDrift(ctx.services.bindings.list(), driftDeps(findingsContextOf(ctx)))
    expect(reports.map((r) => [r.keyId, r.state])).toEqual([
      [revoked.id, 'intact'],
      [expect.not.stringMatching(revoked.id), 'changed']
    ])
    expect(reports[0]!.detail).toMatch(/not compared/)
  })
})
