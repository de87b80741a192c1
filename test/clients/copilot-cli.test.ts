import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { copilotFields, copilotIn, trustForCopilot } from './copilot'
import { bridgeUnavailable, injectKey, type Ctx } from './world'

const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

async function withCopilot() {
  const c = await testContext()
  open.push(c)
  const work = join(c.ctx.home, 'work')
  await mkdir(work, { recursive: true })
  await trustForCopilot(c.ctx.home, work)
  const get = (name: string) => copilotIn(c.ctx.home, ['mcp', 'get', name], { cwd: work }).then(copilotFields)
  return { c, work, get, userFile: join(c.ctx.home, '.copilot', 'mcp-config.json') }
}

describe('GitHub Copilot CLI (real CLI from the npm registry)', () => {
  it('reads back a remote server with the key inline and one that names a variable, exactly as written', async () => {
    const { c, get, userFile } = await withCopilot()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'copilot' })
    await injectKey(c, key.id, 'copilot-cli', 'inline')
    const { binding } = await injectKey(c, key.id, 'copilot-cli', 'env')
    const written = JSON.parse(await readFile(userFile, 'utf8')).mcpServers
    expect(written['kw-inline']).toEqual({
      type: 'http',
      url: c.ctx.services.sandbox!.mcpUrl,
      headers: { Authorization: `Bearer ${secret}` },
      tools: ['*']
    })
    expect(written['kw-env'].headers).toEqual({ Authorization: `Bearer \${${binding.envVar}}` })
    for (const name of ['kw-inline', 'kw-env']) {
      expect(await get(name), name).toMatchObject({
        Status: 'Enabled',
        Type: 'http',
        URL: c.ctx.services.sandbox!.mcpUrl,
        Headers: 'Authorization: ***',
        Tools: '* (all)',
        Source: 'User'
      })
    }
  }, 90_000)

  it("reads a trusted workspace's .mcp.json, or .github/mcp.json when that is its only file", async () => {
    const { c, work, get } = await withCopilot()
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'copilot workspace' })
    const root = await injectKey(c, key.id, 'copilot-cli', 'inline', { scope: 'workspace', projectPath: work })
    expect(root.preview.file).toBe(join(work, '.mcp.json'))
    expect(await get('kw-inline')).toMatchObject({
      Type: 'http',
      URL: c.ctx.services.sandbox!.mcpUrl,
      Source: `Workspace (${root.preview.file})`
    })

    const other = join(c.ctx.home, 'other')
    await mkdir(join(other, '.github'), { recursive: true })
    await writeFile(join(other, '.github', 'mcp.json'), '{\n  "mcpServers": {}\n}\n')
    await trustForCopilot(c.ctx.home, other)
    const github = await injectKey(c, key.id, 'copilot-cli', 'inline', { scope: 'workspace', projectPath: other, serverName: 'kw-github' })
    expect(github.preview.file).toBe(join(other, '.github', 'mcp.json'))
    const fields = await copilotIn(c.ctx.home, ['mcp', 'get', 'kw-github'], { cwd: other }).then(copilotFields)
    expect(fields).toMatchObject({ Type: 'http', URL: c.ctx.services.sandbox!.mcpUrl, Source: `Workspace (${github.preview.file})` })
  }, 90_000)

  it('reads back the keychain bridge as a local server with its command', async (t) => {
    const { c, get, userFile } = await withCopilot()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'copilot bridge' })
    const unavailable = await bridgeUnavailable(c, key.id, 'copilot-cli')
    if (unavailable) {
      console.log(`skipped: the keychain bridge cannot be written yet (${unavailable})`)
      return t.skip()
    }
    await injectKey(c, key.id, 'copilot-cli', 'bridge')
    const entry = JSON.parse(await readFile(userFile, 'utf8')).mcpServers['kw-bridge']
    expect(JSON.stringify(entry)).not.toContain(secret)
    const fields = await get('kw-bridge')
    expect(entry.type).toBe('stdio')
    expect(fields).toMatchObject({ Type: 'local', Command: [entry.command, ...entry.args].join(' '), Tools: '* (all)' })
  }, 90_000)
})
