import { readFile, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { boundSandboxKey } from './world'

const world = scoped()

describe("rotation's check of a bridge entry", () => {
  it('runs the command written in the entry: a moved program fails the check, nothing is revoked, and the old key still works', async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const text = await readFile(binding.file, 'utf8')
    const broken = JSON.parse(text)
    broken.mcpServers['kw-bridge'].command = '/nonexistent/moved-tree/node'
    await writeFile(binding.file, JSON.stringify(broken, null, 2))
    const r = await ctx.services.rotation.start(key.id).catch((e: Error) => e)
    const message = r instanceof Error ? r.message : `${r.state}: ${r.error}`
    expect(message).toContain('/nonexistent/moved-tree/node')
    expect(message).toContain('does not exist')
    expect(ctx.services.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
  })

  it('runs the arguments written in the entry: a binding id that is not the one recorded fails the check', async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const text = await readFile(binding.file, 'utf8')
    await writeFile(binding.file, text.replace(binding.id, '00000000-0000-4000-8000-000000000000'))
    const r = await ctx.services.rotation.start(key.id).catch((e: Error) => e)
    const message = r instanceof Error ? r.message : `${r.state}: ${r.error}`
    expect(r instanceof Error ? 'stopped' : r.state).not.toBe('done')
    expect(message).toContain('00000000-0000-4000-8000-000000000000')
    expect(ctx.services.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
  })

  it('passes when the written entry is intact', async () => {
    const { ctx, key } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
  })
})

describe("rotation's check of a headers helper entry", () => {
  it('runs the helper command line written in the entry: a broken one fails the check and nothing is revoked', async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer, { placement: 'helper', client: 'claude-code' })
    const text = await readFile(binding.file, 'utf8')
    const config = JSON.parse(text)
    const line: string = config.mcpServers['kw-bridge'].headersHelper
    config.mcpServers['kw-bridge'].headersHelper = line.replace(/^'?[^' ]+'?/, '/nonexistent/moved-tree/node')
    await writeFile(binding.file, JSON.stringify(config, null, 2))
    const r = await ctx.services.rotation.start(key.id).catch((e: Error) => e)
    const message = r instanceof Error ? r.message : `${r.state}: ${r.error}`
    expect(message).toContain('The headers helper written in the entry (/nonexistent/moved-tree/node')
    expect(message).toMatch(/stopped with exit code 127/)
    expect(ctx.services.keys.list().find((k) => k.id === key.id)?.status).toBe('active')
  })

  it('passes when the written helper prints the new key', async () => {
    const { ctx, key } = await boundSandboxKey(world.defer, { placement: 'helper', client: 'claude-code' })
    const r = await ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
  })
})
