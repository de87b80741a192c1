import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { claudeIn } from './claude'

const run = promisify(execFile)

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

const claude = (c: Ctx, cwd: string, env: Record<string, string>, ...args: string[]) => claudeIn(c.ctx.home, args, { cwd, env })

async function context(overrides: Parameters<typeof testContext>[0] = {}) {
  const c = await testContext(overrides)
  open.push(c)
  await mkdir(c.ctx.home, { recursive: true })
  return c
}

describe('Claude Code scopes (real CLI from the npm registry)', () => {
  it('connects a local-scope server through the helper once the project is trusted', async () => {
    const c = await context()
    const project = join(c.ctx.home, 'src', 'app')
    await mkdir(project, { recursive: true })
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'local' })
    const preview = await c.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'local',
      projectPath: `${project}/`,
      placement: 'helper',
      serverName: 'kw-local'
    })
    await c.ctx.services.bindings.apply(preview.planId)
    // Trusting the folder, the way Claude Code records it when the person accepts its prompt.
    const file = join(c.ctx.home, '.claude.json')
    const data = JSON.parse(await readFile(file, 'utf8'))
    data.projects[project].hasTrustDialogAccepted = true
    await writeFile(file, JSON.stringify(data, null, 2))
    const out = await claude(c, project, {}, 'mcp', 'get', 'kw-local')
    expect(out).toContain('Scope: Local config')
    expect(out).toContain('Status: ✔ Connected')
    // Another folder does not see it.
    expect(await claude(c, c.ctx.home, {}, 'mcp', 'get', 'kw-local')).not.toContain('Connected')
  }, 120_000)

  it('writes into CLAUDE_CONFIG_DIR when it is set, where Claude Code reads it', async () => {
    const { root } = await context()
    const configDir = join(root, 'claude-config')
    const c = await context({ env: { CLAUDE_CONFIG_DIR: configDir } })
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'cfg' })
    const preview = await c.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'user',
      placement: 'helper',
      serverName: 'kw-cfg'
    })
    expect(preview.file).toBe(join(configDir, '.claude.json'))
    await c.ctx.services.bindings.apply(preview.planId)
    const out = await claude(c, c.ctx.home, { CLAUDE_CONFIG_DIR: configDir }, 'mcp', 'get', 'kw-cfg')
    expect(out).toContain('Status: ✔ Connected')
  }, 120_000)

  it('finds the key through the helper even when Claude Code runs with another Keywarden environment', async () => {
    const c = await context()
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'env' })
    await c.ctx.services.bindings.apply(
      (
        await c.ctx.services.bindings.preview({
          keyId: key.id,
          client: 'claude-code',
          scope: 'user',
          placement: 'helper',
          serverName: 'kw-env'
        })
      ).planId
    )
    // A shell where these point elsewhere: the command itself says where the key is.
    const out = await claude(
      c,
      c.ctx.home,
      { KEYWARDEN_DATA_DIR: c.ctx.dataDir, XDG_CONFIG_HOME: join(c.root, 'elsewhere') },
      'mcp',
      'get',
      'kw-env'
    )
    expect(out).toContain('Status: ✔ Connected')
  }, 120_000)
})

describe('a Lybic-style server (x-api-key header, no scheme)', () => {
  it('connects inline and through the helper, which prints the key as x-api-key', async () => {
    const c = await context()
    const { ctx } = c
    const lybic = await ctx.services.providers.connect({ kind: 'lybic', orgId: 'org-7', mcpUrl: ctx.services.sandbox!.mcpUrl })
    // A key the local sandbox accepts, filed under the Lybic provider as a person would paste it.
    const value = (
      await ctx.services.adapterFor(ctx.services.vault.providers.list().find((p) => p.kind === 'sandbox')!).createKey!({
        name: 'lybic stand-in'
      })
    ).value
    const id = randomUUID()
    await ctx.secrets.set(`key:${id}`, value)
    const at = new Date().toISOString()
    await ctx.services.vault.keys.add({
      id,
      providerId: lybic.id,
      name: 'lybic',
      prefix: value.slice(0, 8),
      createdAt: at,
      status: 'active',
      inVault: true,
      addedAt: at
    })

    const helper = await ctx.services.bindings.apply(
      (
        await ctx.services.bindings.preview({
          keyId: id,
          client: 'claude-code',
          scope: 'user',
          placement: 'helper',
          serverName: 'lybic-helper'
        })
      ).planId
    )
    await ctx.services.bindings.apply(
      (
        await ctx.services.bindings.preview({
          keyId: id,
          client: 'claude-code',
          scope: 'user',
          placement: 'inline',
          serverName: 'lybic-inline'
        })
      ).planId
    )
    const file = JSON.parse(await readFile(join(ctx.home, '.claude.json'), 'utf8'))
    expect(file.mcpServers['lybic-inline'].headers).toEqual({ 'x-api-key': value })

    const headersHelper: string = file.mcpServers['lybic-helper'].headersHelper
    expect(headersHelper).toContain(`mcp-headers ${helper.binding.id}`)
    const printed = await run('sh', ['-c', headersHelper], { env: { ...process.env, KEYWARDEN_DATA_DIR: '' } })
    expect(JSON.parse(printed.stdout)).toEqual({ 'x-api-key': value })

    for (const name of ['lybic-helper', 'lybic-inline'])
      expect(await claude(c, ctx.home, {}, 'mcp', 'get', name), name).toContain('Status: ✔ Connected')
  }, 120_000)
})
