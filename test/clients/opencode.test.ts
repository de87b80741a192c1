import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { opencodeIn, opencodeMissing, opencodeStates } from './opencode'
import { bridgeUnavailable, injectKey, keywardenRun, type Ctx } from './world'

const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

/** An opencode.jsonc as people keep it: comments, trailing commas, settings of its own. */
const CONFIG = `{
  // my opencode setup
  "$schema": "https://opencode.ai/config.json",
  "autoupdate": false,
  "share": "disabled",
}
`

async function withOpencode() {
  const c = await testContext()
  open.push(c)
  const dir = join(c.ctx.home, '.config', 'opencode')
  await mkdir(dir, { recursive: true })
  const config = join(dir, 'opencode.jsonc')
  await writeFile(config, CONFIG)
  const list = (options: { prefix?: string[]; cwd?: string } = {}) => opencodeIn(c.ctx.home, ['mcp', 'list'], options).then(opencodeStates)
  return { c, config, list }
}

if (opencodeMissing) console.log(`[opencode] skipped: ${opencodeMissing}`)

describe.skipIf(opencodeMissing)('opencode (real CLI from the npm registry)', () => {
  it('connects to a remote server with oauth off, the key inline or {env:VAR} filled by keywarden run, in the opencode.jsonc already there', async () => {
    const { c, config, list } = await withOpencode()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'opencode' })
    const { preview } = await injectKey(c, key.id, 'opencode', 'inline')
    expect(preview.file).toBe(config)
    const { binding } = await injectKey(c, key.id, 'opencode', 'env')
    const text = await readFile(config, 'utf8')
    expect(
      text.startsWith(
        '{\n  // my opencode setup\n  "$schema": "https://opencode.ai/config.json",\n  "autoupdate": false,\n  "share": "disabled",'
      )
    ).toBe(true)
    const mcp = parse(text, [], { allowTrailingComma: true }).mcp
    expect(mcp['kw-inline']).toEqual({
      type: 'remote',
      url: c.ctx.services.sandbox!.mcpUrl,
      oauth: false,
      headers: { Authorization: `Bearer ${secret}` }
    })
    expect(mcp['kw-env']).toEqual({
      type: 'remote',
      url: c.ctx.services.sandbox!.mcpUrl,
      oauth: false,
      headers: { Authorization: `Bearer {env:${binding.envVar}}` }
    })
    expect(await list()).toEqual({ 'kw-inline': 'connected', 'kw-env': 'failed' })
    expect(await list({ prefix: keywardenRun(c) })).toEqual({ 'kw-inline': 'connected', 'kw-env': 'connected' })
  }, 120_000)

  it("connects to a server in a project's opencode.json", async () => {
    const { c, list } = await withOpencode()
    const project = join(c.ctx.home, 'src', 'app')
    await mkdir(project, { recursive: true })
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'opencode project' })
    const { preview } = await injectKey(c, key.id, 'opencode', 'inline', { scope: 'project', projectPath: project })
    expect(preview.file).toBe(join(project, 'opencode.json'))
    expect(await list({ cwd: project })).toEqual({ 'kw-inline': 'connected' })
  }, 90_000)

  it('starts the keychain bridge as a local server with nothing secret in the file', async (t) => {
    const { c, config, list } = await withOpencode()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'opencode bridge' })
    const unavailable = await bridgeUnavailable(c, key.id, 'opencode')
    if (unavailable) {
      console.log(`skipped: the keychain bridge cannot be written yet (${unavailable})`)
      return t.skip()
    }
    await injectKey(c, key.id, 'opencode', 'bridge')
    const entry = parse(await readFile(config, 'utf8'), [], { allowTrailingComma: true }).mcp['kw-bridge']
    expect(entry.type).toBe('local')
    expect(entry.command).toContain('mcp-bridge')
    expect(JSON.stringify(entry)).not.toContain(secret)
    expect(await list()).toEqual({ 'kw-bridge': 'connected' })
  }, 90_000)
})
