import { readFile } from 'node:fs/promises'
import { applyPatch } from 'diff'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { cliIn } from '../../support/cli'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

/** The lines a unified diff adds, without their "+". */
const added = (diff: string) =>
  diff
    .split('\n')
    .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
    .map((l) => l.slice(1))

describe('what the preview shows is what is written', () => {
  for (const t of [
    { client: 'claude-code', scope: 'user', placement: 'helper' },
    { client: 'claude-code', scope: 'user', placement: 'bridge' },
    { client: 'cursor', scope: 'global', placement: 'bridge' },
    { client: 'codex', scope: 'user', placement: 'helper' }
  ] as const) {
    it(`${t.client} ${t.placement}: every added line of the preview is in the file, with the binding id written`, async () => {
      const { ctx } = await testContext()
      close = ctx.close
      const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'previewed' })
      const preview = await ctx.api.bindings.preview({ keyId: key.id, ...t })
      const before = await readFile(preview.file, 'utf8').catch(() => '')
      const { binding } = await ctx.api.bindings.apply({ planId: preview.planId })
      const text = await readFile(binding.file, 'utf8')
      // Byte for byte: the previewed diff applied to the file as it was gives the file as written.
      expect(applyPatch(before, preview.diff)).toBe(text)
      const lines = added(preview.diff)
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) expect(text.split('\n'), line).toContain(line)
      expect(preview.diff).toContain(binding.id)
    })
  }

  it('moving a plain-text entry to the keychain writes the helper entry its preview shows, byte for byte', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'moved' })
    const inline = await ctx.api.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'inline' })
    const { binding: old } = await ctx.api.bindings.apply({ planId: inline.planId })
    const move = await ctx.api.bindings.previewMove({ bindingId: old.id })
    expect(move.placement).toBe('helper')
    const before = await readFile(old.file, 'utf8')
    const { binding } = await ctx.api.bindings.apply({ planId: move.planId })
    const text = await readFile(binding.file, 'utf8')
    expect(move.diff).toContain(binding.id)
    // The removed line holds the key (masked in the diff); every added line is exactly what was written.
    for (const line of added(move.diff)) expect(text.split('\n'), line).toContain(line)
    expect(text).toContain(`mcp-headers ${binding.id}`)
    expect(before).not.toContain(binding.id)
  })

  it('the command line writes the entry its printed diff shows', async () => {
    const { ctx } = await testContext()
    close = ctx.close
    await cliIn(ctx, 'keys', 'create', '--name', 'cli previewed')
    const run = await cliIn(ctx, 'inject', 'cli previewed', '--client', 'claude-code', '--placement', 'helper', '--yes')
    expect(run.code, run.err).toBe(0)
    const [binding] = await ctx.api.bindings.list()
    const text = await readFile(binding!.file, 'utf8')
    for (const line of added(run.out)) expect(text.split('\n'), line).toContain(line)
    expect(run.out).toContain(binding!.id)
  })
})
