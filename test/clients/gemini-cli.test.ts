import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'jsonc-parser'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../support/context'
import { geminiIn, serverStates, trustFolder } from './gemini'
import { bridgeUnavailable, injectKey, keywardenRun, type Ctx } from './world'

const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

/** A settings.json as people keep it: comments, other settings, no telemetry from the tests. */
const SETTINGS = `{
  // My Gemini CLI settings
  "privacy": { "usageStatisticsEnabled": false },
  "general": { "disableAutoUpdate": true },
  "ui": { "theme": "GitHub" }
}
`

async function withGemini() {
  const c = await testContext()
  open.push(c)
  const work = join(c.ctx.home, 'work')
  await mkdir(work, { recursive: true })
  await trustFolder(c.ctx.home, work)
  const settings = join(c.ctx.home, '.gemini', 'settings.json')
  await writeFile(settings, SETTINGS)
  const list = (prefix?: string[]) => geminiIn(c.ctx.home, ['mcp', 'list'], { cwd: work, prefix }).then(serverStates)
  return { c, work, settings, list }
}

describe('Gemini CLI (real CLI from the npm registry)', () => {
  it('connects with the key inline, and with ${VAR} only when started through keywarden run; the comments in settings.json stay', async () => {
    const { c, settings, list } = await withGemini()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'gemini' })
    await injectKey(c, key.id, 'gemini-cli', 'inline')
    const { binding } = await injectKey(c, key.id, 'gemini-cli', 'env')
    const text = await readFile(settings, 'utf8')
    expect(text.startsWith('{\n  // My Gemini CLI settings\n  "privacy": { "usageStatisticsEnabled": false },')).toBe(true)
    const servers = parse(text).mcpServers
    expect(servers['kw-inline']).toEqual({
      url: c.ctx.services.sandbox!.mcpUrl,
      type: 'http',
      headers: { Authorization: `Bearer ${secret}` }
    })
    expect(servers['kw-env']).toEqual({
      url: c.ctx.services.sandbox!.mcpUrl,
      type: 'http',
      headers: { Authorization: `Bearer \${${binding.envVar}}` }
    })
    expect(await list()).toEqual({ 'kw-inline': 'Connected', 'kw-env': 'Disconnected' })
    expect(await list(keywardenRun(c))).toEqual({ 'kw-inline': 'Connected', 'kw-env': 'Connected' })
  }, 90_000)

  it("connects to a server in a trusted project's .gemini/settings.json", async () => {
    const { c, work, list } = await withGemini()
    const { key } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'gemini project' })
    const { preview } = await injectKey(c, key.id, 'gemini-cli', 'inline', { scope: 'project', projectPath: work })
    expect(preview.file).toBe(join(work, '.gemini', 'settings.json'))
    expect(preview.notes.join(' ')).toMatch(/committed to git/)
    expect(await list()).toEqual({ 'kw-inline': 'Connected' })
  }, 90_000)

  it('starts the keychain bridge from settings.json with nothing secret in it', async (t) => {
    const { c, settings, list } = await withGemini()
    const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'gemini bridge' })
    const unavailable = await bridgeUnavailable(c, key.id, 'gemini-cli')
    if (unavailable) {
      console.log(`skipped: the keychain bridge cannot be written yet (${unavailable})`)
      return t.skip()
    }
    await injectKey(c, key.id, 'gemini-cli', 'bridge')
    const entry = parse(await readFile(settings, 'utf8')).mcpServers['kw-bridge']
    expect(entry.args).toContain('mcp-bridge')
    expect(JSON.stringify(entry)).not.toContain(secret)
    expect(await list()).toEqual({ 'kw-bridge': 'Connected' })
  }, 90_000)
})
