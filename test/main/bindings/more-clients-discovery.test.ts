import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientId } from '../../../src/shared/schemas'
import { accounts } from '../../../src/main/vault/secret-store'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})

/** Each client's file with the key pasted by hand, in that client's own spelling, beside other content. */
function pasted(home: string, url: string, key: string): Array<{ client: ClientId; scope: string; file: string; text: string }> {
  return [
    {
      client: 'codex',
      scope: 'user',
      file: join(home, '.codex', 'config.toml'),
      text: `# mine\nmodel = "gpt-5"\n\n[mcp_servers.pasted]\nurl = "${url}"\nhttp_headers = { Authorization = "Bearer ${key}" }   # from the dashboard\n\n[mcp_servers.named]\nurl = "${url}"\nbearer_token_env_var = "MY_TOKEN"\n`
    },
    {
      client: 'windsurf',
      scope: 'user',
      file: join(home, '.codeium', 'windsurf', 'mcp_config.json'),
      text: `{\n  "mcpServers": {\n    "pasted": { "serverUrl": "${url}", "headers": { "Authorization": "Bearer ${key}" } }\n  }\n}\n`
    },
    {
      client: 'gemini-cli',
      scope: 'user',
      // The older spelling, httpUrl, which Gemini CLI still reads.
      file: join(home, '.gemini', 'settings.json'),
      text: `{\n  // mine\n  "mcpServers": {\n    "pasted": { "httpUrl": "${url}", "headers": { "Authorization": "Bearer ${key}" } }\n  }\n}\n`
    },
    {
      client: 'copilot-cli',
      scope: 'user',
      file: join(home, '.copilot', 'mcp-config.json'),
      text: `{\n  "mcpServers": {\n    "pasted": { "type": "http", "url": "${url}", "headers": { "Authorization": "Bearer ${key}" }, "tools": ["*"] }\n  }\n}\n`
    },
    {
      client: 'opencode',
      scope: 'user',
      file: join(home, '.config', 'opencode', 'opencode.json'),
      text: `{\n  "mcp": {\n    "pasted": { "type": "remote", "url": "${url}", "oauth": false, "headers": { "Authorization": "Bearer ${key}" } },\n    "named": { "type": "remote", "url": "${url}", "headers": { "Authorization": "Bearer {env:MY_TOKEN}" } }\n  }\n}\n`
    }
  ]
}

describe('keys pasted by hand into the newer clients', () => {
  it('are found by fingerprint in every file, adopted with the URL each client spells its own way, and rotated in place', async () => {
    const c = await testContext()
    open.push(c)
    const { ctx } = c
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'pasted everywhere' })
    const files = pasted(ctx.home, ctx.services.sandbox!.mcpUrl, secret)
    for (const f of files) {
      await mkdir(dirname(f.file), { recursive: true })
      await writeFile(f.file, f.text)
    }

    const scan = await ctx.services.bindings.scan()
    expect(scan.problems).toEqual([])
    expect(JSON.stringify(scan)).not.toContain(secret)
    for (const f of files) {
      const found = scan.servers.find((s) => s.client === f.client && s.serverName === 'pasted')
      expect(found, f.client).toMatchObject({ keyId: key.id, adoptable: true, plaintext: true, url: ctx.services.sandbox!.mcpUrl })
    }
    for (const client of ['codex', 'opencode'] as const)
      expect(scan.servers.find((s) => s.client === client && s.serverName === 'named')).toMatchObject({
        placement: 'env',
        adoptable: false
      })

    for (const f of files) {
      const binding = await ctx.services.bindings.adopt({ client: f.client, scope: f.scope, serverName: 'pasted', keyId: key.id })
      expect(binding, f.client).toMatchObject({ placement: 'inline', url: ctx.services.sandbox!.mcpUrl, file: f.file })
    }

    const r = await ctx.services.rotation.start(key.id)
    expect(r.state).toBe('done')
    expect(r.bindings.map((b) => b.status)).toEqual(files.map(() => 'updated'))
    const newValue = (await ctx.secrets.get(accounts.key(r.newKeyId!)))!
    for (const f of files) {
      // Only the key changed, in each client's own layout.
      expect(await readFile(f.file, 'utf8'), f.client).toBe(f.text.replace(secret, newValue))
    }
    expect((await ctx.services.adapterFor(ctx.services.vault.providers.list()[0]!).validateKey(secret)).valid).toBe(false)
  }, 60_000)

  it("looks into the project folders Codex trusts, where a project's .codex/config.toml is read", async () => {
    const c = await testContext()
    open.push(c)
    const { ctx } = c
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'codex project' })
    const project = join(ctx.home, 'src', 'app')
    await mkdir(join(project, '.codex'), { recursive: true })
    await mkdir(join(ctx.home, '.codex'), { recursive: true })
    await writeFile(join(ctx.home, '.codex', 'config.toml'), `[projects."${project}"]\ntrust_level = "trusted"\n`)
    await writeFile(
      join(project, '.codex', 'config.toml'),
      `[mcp_servers.team]\nurl = "${ctx.services.sandbox!.mcpUrl}"\nhttp_headers = { Authorization = "Bearer ${secret}" }\n`
    )
    const found = (await ctx.services.bindings.scan()).servers.find((s) => s.serverName === 'team')
    expect(found).toMatchObject({ client: 'codex', scope: 'project', projectPath: project, keyId: key.id, adoptable: true })
  })
})
