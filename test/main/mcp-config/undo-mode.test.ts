import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliIn } from '../../support/cli'
import { scoped } from '../../support/scoped'

const test = scoped({ sandbox: 'start' })
const original = '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  }\n}\n'
const modeOf = async (file: string) => (await stat(file)).mode & 0o777

/** A Cursor file with the given mode, and a sandbox key added to it in a placement. */
async function added(mode: number, placement: 'bridge' | 'inline') {
  const ctx = await test.ctx('start', { timeoutMs: 5000 })
  const file = join(ctx.home, '.cursor', 'mcp.json')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, original)
  await chmod(file, mode)
  const { key } = await ctx.api.keys.create({ providerId: 'sandbox', name: 'team key' })
  const preview = await ctx.api.bindings.preview({ keyId: key.id, client: 'cursor', scope: 'global', placement, serverName: 'team' })
  const { changeId } = await ctx.api.bindings.apply({ planId: preview.planId })
  return { ctx, file, changeId }
}

describe("undo and the file's mode", () => {
  it.each([
    { what: 'an owner-only file opened up since Keywarden wrote it goes back to owner-only', written: 0o600, since: 0o644 },
    {
      what: 'a chmod 600 made since Keywarden wrote is kept: undo never makes a file more readable than it is',
      written: 0o644,
      since: 0o600
    }
  ])('$what (command line)', async ({ written, since }) => {
    const { ctx, file, changeId } = await added(written, 'bridge')
    expect(await modeOf(file)).toBe(written)
    await chmod(file, since)
    expect(await cliIn(ctx, 'undo', changeId)).toMatchObject({ code: 0 })
    expect(await readFile(file, 'utf8')).toBe(original)
    expect(await modeOf(file)).toBe(0o600)
  })

  it('the same when the file was also edited since, and the undo keeps that edit (window)', async () => {
    const { ctx, file, changeId } = await added(0o600, 'bridge')
    const edited = JSON.parse(await readFile(file, 'utf8'))
    edited.mcpServers.mine = { url: 'https://mine.example/mcp' }
    await writeFile(file, JSON.stringify(edited, null, 2))
    await chmod(file, 0o664)
    expect(await ctx.dispatch('changes.undo', { changeId })).toMatchObject({ ok: true })
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).mcpServers)).toEqual(['docs', 'mine'])
    expect(await modeOf(file)).toBe(0o600)
  })

  it('a file Keywarden made owner-only for a key in it stays owner-only after the undo takes the key out', async () => {
    const { ctx, file, changeId } = await added(0o644, 'inline')
    expect(await modeOf(file)).toBe(0o600)
    expect(await cliIn(ctx, 'undo', changeId)).toMatchObject({ code: 0 })
    expect(await readFile(file, 'utf8')).toBe(original)
    expect(await modeOf(file)).toBe(0o600)
  })

  it('each permission bit stays only if both the mode now and the mode before allow it', async () => {
    const { ctx, file, changeId } = await added(0o640, 'bridge')
    await chmod(file, 0o604)
    expect(await cliIn(ctx, 'undo', changeId)).toMatchObject({ code: 0 })
    expect(await modeOf(file)).toBe(0o600)
  })
})
