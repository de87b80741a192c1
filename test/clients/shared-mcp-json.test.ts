import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { copilotFields, copilotIn, trustForCopilot } from './copilot'
import { injectKey, type Ctx } from './world'

const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

/** A project folder Copilot CLI trusts, holding the repository's own .github/mcp.json. */
async function project() {
  const c = await testContext()
  open.push(c)
  const folder = join(c.ctx.home, 'repo')
  await mkdir(join(folder, '.github'), { recursive: true })
  await writeFile(
    join(folder, '.github', 'mcp.json'),
    JSON.stringify({ mcpServers: { 'gh-server': { type: 'http', url: 'https://gh.example/mcp' } } })
  )
  await trustForCopilot(c.ctx.home, folder)
  const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'shared' })
  return { c, folder, key }
}

describe("a project's .mcp.json, read by Claude Code and Copilot CLI alike", () => {
  it('says in the preview that Copilot CLI reads the entry, cannot run the headers helper, and stops reading .github/mcp.json', async () => {
    const { c, folder, key } = await project()
    const preview = await c.ctx.services.bindings.preview({
      keyId: key.id,
      client: 'claude-code',
      scope: 'project',
      projectPath: folder,
      placement: 'helper',
      serverName: 'cc-proj'
    })
    const notes = preview.notes.join('\n')
    expect(notes).toContain(`${join(folder, '.mcp.json')} is also GitHub Copilot CLI's file: it will read this entry too.`)
    expect(notes).toContain('GitHub Copilot CLI cannot use the helper placement: it will try this server without a key.')
    expect(notes).toContain(`GitHub Copilot CLI reads it instead of ${join(folder, '.github', 'mcp.json')}`)
    // What the preview says is what the real client does.
    await c.ctx.services.bindings.apply(preview.planId)
    const listed = await copilotIn(c.ctx.home, ['mcp', 'list'], { cwd: folder })
    expect(listed).toContain('cc-proj')
    expect(listed).not.toContain('gh-server')
  }, 90_000)

  it('a bridge entry written for either client is one both read, listed once by the scan with who reads it', async () => {
    const { c, folder, key } = await project()
    const { preview } = await injectKey(c, key.id, 'claude-code', 'bridge', {
      scope: 'project',
      projectPath: folder,
      serverName: 'cc-bridge'
    })
    expect(preview.notes.join('\n')).not.toContain('cannot use the bridge placement')
    const { binding } = await injectKey(c, key.id, 'copilot-cli', 'bridge', {
      scope: 'workspace',
      projectPath: folder,
      serverName: 'cp-bridge'
    })
    expect(binding.file).toBe(join(folder, '.mcp.json'))
    const written = JSON.parse(await readFile(binding.file, 'utf8')).mcpServers
    // Claude Code reads only "stdio" entries; Copilot CLI reads "stdio" as its "local".
    expect(written['cp-bridge'].type).toBe('stdio')
    for (const name of ['cc-bridge', 'cp-bridge'])
      expect(await copilotIn(c.ctx.home, ['mcp', 'get', name], { cwd: folder }).then(copilotFields)).toMatchObject({ Type: 'local' })
    const servers = (await c.ctx.services.bindings.scan([folder])).servers.filter((s) => s.file === binding.file)
    expect(servers.map((s) => s.serverName).sort()).toEqual(['cc-bridge', 'cp-bridge'])
    for (const s of servers) expect(s.label).toMatch(/^Claude Code \(project repo\), also read by Copilot CLI \(workspace repo\)$/)
  }, 90_000)

  it("refuses a name Keywarden used for the other client's entry, saying so, and a rotation updates the shared inline entry once", async () => {
    const { c, folder, key } = await project()
    await injectKey(c, key.id, 'copilot-cli', 'inline', { scope: 'workspace', projectPath: folder, serverName: 'pj-inline' })
    // Copilot now reads .mcp.json only once it exists; here it went to .github/mcp.json, so make .mcp.json the shared file.
    await writeFile(join(folder, '.mcp.json'), '{"mcpServers":{}}')
    const cp = await injectKey(c, key.id, 'copilot-cli', 'inline', { scope: 'workspace', projectPath: folder, serverName: 'pj-shared' })
    expect(cp.binding.file).toBe(join(folder, '.mcp.json'))
    const clash = await c.ctx.services.bindings
      .preview({
        keyId: key.id,
        client: 'claude-code',
        scope: 'project',
        projectPath: folder,
        placement: 'inline',
        serverName: 'pj-shared'
      })
      .catch((e: Error) => e)
    expect(String(clash)).toContain('which Keywarden added for GitHub Copilot CLI (workspace)')
    const r = await c.ctx.services.rotation.start(key.id)
    expect(r.state, r.error).toBe('done')
    const after = JSON.parse(await readFile(cp.binding.file, 'utf8')).mcpServers['pj-shared']
    expect(after.headers.Authorization).not.toContain(key.prefix)
    expect(c.ctx.services.bindings.list().filter((b) => b.serverName === 'pj-shared')).toHaveLength(1)
  }, 90_000)
})
