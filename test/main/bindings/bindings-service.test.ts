import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})
async function context() {
  const c = await testContext()
  open.push(c)
  await mkdir(c.ctx.home, { recursive: true })
  const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'svc' })
  return { ...c, key }
}

describe('Claude Code local scope', () => {
  it('refuses a relative project folder with a clear message, and keys the folder without a trailing slash', async () => {
    const { ctx, key } = await context()
    await expect(
      ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'local', projectPath: 'src/app', placement: 'helper' })
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('"src/app" is not a full path')
    })
    const project = join(ctx.home, 'proj')
    await mkdir(project, { recursive: true })
    const preview = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'local',
      projectPath: `${project}/`,
      placement: 'helper'
    })
    const { binding } = await ctx.services.bindings.apply(preview.planId)
    expect(binding.projectPath).toBe(project)
    expect(Object.keys(JSON.parse(await readFile(join(ctx.home, '.claude.json'), 'utf8')).projects)).toEqual([project])
  })

  it("tells each project's entry apart, so removing one leaves the other", async () => {
    const { ctx, key } = await context()
    const a = join(ctx.home, 'a')
    const b = join(ctx.home, 'b')
    const ids: string[] = []
    for (const project of [a, b]) {
      await mkdir(project, { recursive: true })
      const preview = await ctx.services.bindings.preview({
        keyId: key.id,
        client: 'claude-code',
        scope: 'local',
        projectPath: project,
        placement: 'helper',
        serverName: 'kw'
      })
      ids.push((await ctx.services.bindings.apply(preview.planId)).binding.id)
    }
    const scan = await ctx.services.bindings.scan()
    const local = scan.servers.filter((s) => s.scope === 'local')
    expect(local.map((s) => [s.projectPath, s.bindingId])).toEqual([
      [a, ids[0]],
      [b, ids[1]]
    ])
    await ctx.services.bindings.remove(local[1]!.bindingId!)
    const projects = JSON.parse(await readFile(join(ctx.home, '.claude.json'), 'utf8')).projects
    expect(projects[a].mcpServers.kw).toBeDefined()
    expect(projects[b].mcpServers).toEqual({})
  })

  it('lists only the projects that have servers, reading a large ~/.claude.json once', async () => {
    const { ctx } = await context()
    const projects: Record<string, unknown> = {}
    for (let i = 0; i < 300; i++)
      projects[`/home/dev/p${i}`] = { allowedTools: [], mcpServers: i === 7 ? { docs: { type: 'http', url: 'https://d' } } : {} }
    await writeFile(join(ctx.home, '.claude.json'), JSON.stringify({ projects, mcpServers: {} }))
    const scan = await ctx.services.bindings.scan()
    expect(scan.present.filter((p) => p.scope === 'local').map((p) => p.projectPath)).toEqual(['/home/dev/p7'])
    expect(scan.servers.map((s) => [s.scope, s.serverName])).toEqual([['local', 'docs']])
  })

  it('notes that Claude Code must trust the folder before the helper runs', async () => {
    const { ctx, key } = await context()
    await mkdir(join(ctx.home, 'p'), { recursive: true })
    const local = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'local',
      projectPath: join(ctx.home, 'p'),
      placement: 'helper'
    })
    expect(local.notes.join(' ')).toMatch(/trusted this folder/)
    const project = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'project',
      projectPath: join(ctx.home, 'p'),
      placement: 'helper'
    })
    expect(project.notes.join(' ')).toMatch(/approve servers from a project's \.mcp\.json/)
    const inline = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'cursor',
      scope: 'project',
      projectPath: join(ctx.home, 'p'),
      placement: 'inline'
    })
    expect(inline.notes.join(' ')).toMatch(/often committed to git/)
  })
})

describe('server names', () => {
  it('asks before using another name when the name is taken, and never renames silently', async () => {
    const { ctx, key } = await context()
    await mkdir(join(ctx.home, '.cursor'))
    await writeFile(join(ctx.home, '.cursor', 'mcp.json'), '{"mcpServers": {"local-sandbox-svc": {"url": "https://mine.example"}}}')
    const input = { keyId: key.id, client: 'cursor' as const, scope: 'global' }
    expect(await ctx.services.bindings.checkName(input)).toEqual({
      serverName: 'local-sandbox-svc',
      taken: true,
      suggested: 'local-sandbox-svc-2'
    })
    await expect(ctx.services.bindings.preview(input)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('"local-sandbox-svc-2"')
    })
    const preview = await ctx.services.bindings.preview({ ...input, serverName: 'local-sandbox-svc-2' })
    expect(preview.serverName).toBe('local-sandbox-svc-2')
  })

  it('says the key is already there when it is added to the same place again', async () => {
    const { ctx, key } = await context()
    const input = { keyId: key.id, client: 'claude-code' as const, scope: 'user', placement: 'helper' as const }
    await ctx.services.bindings.apply((await ctx.services.bindings.preview(input)).planId)
    await expect(ctx.services.bindings.preview(input)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/"svc" is already in Claude Code \(user\), as "local-sandbox-svc"/)
    })
    await expect(ctx.services.bindings.preview({ ...input, serverName: 'local-sandbox-svc' })).rejects.toMatchObject({ code: 'conflict' })
    // A second entry under a name the person chose is theirs to make.
    expect((await ctx.services.bindings.preview({ ...input, serverName: 'svc-second' })).serverName).toBe('svc-second')
  })
})

describe('clients and VS Code profiles', () => {
  it('does not take the folders Keywarden creates for its entries as a sign that a client is installed', async () => {
    const { ctx, key } = await context()
    for (const client of ['claude-desktop', 'windsurf', 'cursor', 'gemini-cli', 'copilot-cli'] as const) {
      const scope = (await ctx.services.bindings.clients()).find((c) => c.client === client)!.scopes[0]!.id
      const placement = client === 'claude-desktop' ? 'bridge' : 'inline'
      const preview = await ctx.services.bindings.preview({ keyId: key.id, client, scope, placement, serverName: `kw-${client}` })
      await ctx.services.bindings.apply(preview.planId)
    }
    const found = new Map((await ctx.services.bindings.clients()).map((c) => [c.client, c.installed]))
    for (const client of ['claude-desktop', 'windsurf', 'cursor', 'gemini-cli', 'copilot-cli'] as const)
      expect(found.get(client), client).toBe(false)
    await mkdir(join(ctx.home, '.codeium', 'windsurf', 'brain'), { recursive: true })
    expect((await ctx.services.bindings.clients()).find((c) => c.client === 'windsurf')?.installed).toBe(true)
  })

  it('says which clients look installed, lists VS Code profiles, and refuses a profile id that is a path', async () => {
    const { ctx, key } = await context()
    await mkdir(join(ctx.home, '.claude'))
    await mkdir(join(ctx.home, '.config', 'Code', 'User', 'profiles', '-4f2a9c'), { recursive: true })
    await mkdir(join(ctx.home, '.config', 'Code - Insiders', 'User', 'profiles', 'work'), { recursive: true })
    const found = await ctx.services.bindings.clients()
    expect(found.map((c) => [c.client, c.installed])).toEqual([
      ['claude-code', true],
      ['cursor', false],
      ['vscode', true],
      ['vscode-insiders', true],
      ['codex', false],
      ['claude-desktop', false],
      ['windsurf', false],
      ['gemini-cli', false],
      ['copilot-cli', false],
      ['opencode', false]
    ])
    expect(found.find((c) => c.client === 'vscode')?.scopes.map((s) => s.id)).toEqual(['user', 'workspace', 'profile:-4f2a9c'])
    expect(found.find((c) => c.client === 'vscode-insiders')?.scopes.map((s) => s.id)).toEqual(['user', 'profile:work'])
    const preview = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'vscode-insiders',
      scope: 'profile:work',
      placement: 'input'
    })
    expect(preview.file).toBe(join(ctx.home, '.config', 'Code - Insiders', 'User', 'profiles', 'work', 'mcp.json'))
    await expect(
      ctx.services.bindings.preview({ keyId: key.id, client: 'vscode', scope: 'profile:../../evil', placement: 'input' })
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('is not a VS Code profile id') })
  })
})
