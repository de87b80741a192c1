import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planRemove, planSetHeader, readContainer, undoChange } from '../../../src/main/mcp-config/plan'
import type { ConfigLocation } from '../../../src/main/mcp-config/paths'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { scanLocations } from '../../../src/main/mcp-config/scan'
import { maskToml } from '../../../src/main/mcp-config/document/toml-diff'
import { tempFolder } from '../../support/temp-folder'

const OLD = 'sbx_OLDoldOLDoldOLDoldOLD1'
const KEY = 'lk_live_7Hq2mX9pR4vT8wY1zB3nC5dF'
/** A config.toml as people keep it: comments everywhere, inline tables, a multi-line list, other servers. */
const CONFIG = `# Codex settings — hand-edited, keep my notes
model = "gpt-5"   # the default model
approval_policy = "on-request"

[projects."/home/ada/src/app"]
trust_level = "trusted"

# Docs server: no key needed
[mcp_servers.docs]
command = "npx"
args = [
  "-y",            # always the latest
  "@acme/docs-mcp",
]
env = { LOG_LEVEL = "debug", COLOR = "0" }

[mcp_servers.remote]
url = "https://remote.example/mcp"
http_headers = { "Authorization" = "Bearer ${OLD}", "X-Team" = "core" }   # pasted by hand
startup_timeout_sec = 20

[mcp_servers.remote.env_http_headers]
X-Trace = "TRACE_ID"

# Notifications go last
[tui]
notifications = true
`
const helper: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'helper',
  helperCommand: "/opt/Keywarden/keywarden mcp-headers 0b6a --data-dir '/home/ada/.config/Keywarden'"
}
const inline: ServerSpec = { ...helper, placement: 'inline', helperCommand: undefined, secret: KEY }

let home: string
let backups: BackupStore
let location: ConfigLocation
beforeEach(async () => {
  const root = await tempFolder('kw-toml-')
  home = join(root, 'home')
  backups = createBackupStore(join(root, 'data'), testKeychain())
  location = locationFor({ home, platform: 'linux', env: {} }, 'codex', 'user')!
  await mkdir(dirname(location.file), { recursive: true })
})
const put = (text: string) => writeFile(location.file, text)
const read = () => readFile(location.file, 'utf8')

/** What was inserted into `before` to make `after`, failing if any byte of `before` changed. */
function inserted(before: string, after: string): string {
  let p = 0
  while (p < before.length && before[p] === after[p]) p++
  expect(after.endsWith(before.slice(p)), 'every byte after the insertion is kept').toBe(true)
  return after.slice(p, after.length - (before.length - p))
}

describe("Codex's config.toml", () => {
  it('adds a server as its own table after the other servers, keeping every other byte', async () => {
    await put(CONFIG)
    const plan = await planAdd(location, helper)
    await applyPlan(plan, backups)
    const after = await read()
    const table = `[mcp_servers.kw]\nurl = "https://mcp.example/v1"\nhttp_headers_helper = "/opt/Keywarden/keywarden mcp-headers 0b6a --data-dir '/home/ada/.config/Keywarden'"\n`
    expect(after).toBe(CONFIG.replace('X-Trace = "TRACE_ID"\n', `X-Trace = "TRACE_ID"\n\n${table}`))
    expect(after.indexOf('[mcp_servers.kw]')).toBeLessThan(after.indexOf('# Notifications go last'))
    const parsed = parseToml(after) as { mcp_servers: Record<string, unknown>; tui: unknown; model: string }
    expect(parsed.mcp_servers['kw']).toEqual({ url: helper.url, http_headers_helper: helper.helperCommand })
    expect(Object.keys(parsed.mcp_servers)).toEqual(['docs', 'remote', 'kw'])
    expect(parsed.tui).toEqual({ notifications: true })
  })

  it('undoing the addition gives back the exact bytes', async () => {
    await put(CONFIG)
    const id = await applyPlan(await planAdd(location, inline), backups)
    expect(await read()).not.toBe(CONFIG)
    await undoChange(id, backups)
    expect(await read()).toBe(CONFIG)
  })

  it('rotates a key pasted into an inline http_headers table by changing only that string', async () => {
    await put(CONFIG)
    const plan = await planSetHeader(location, 'remote', 'authorization', `Bearer ${KEY}`, [OLD])
    expect(plan.diff).not.toContain(KEY)
    expect(plan.diff).not.toContain(OLD)
    const id = await applyPlan(plan, backups)
    expect(await read()).toBe(CONFIG.replace(`Bearer ${OLD}`, `Bearer ${KEY}`))
    await undoChange(id, backups)
    expect(await read()).toBe(CONFIG)
  })

  it('removes a server with its sub-table and leaves the comment that describes the next table', async () => {
    await put(CONFIG)
    const id = await applyPlan(await planRemove(location, 'remote'), backups)
    const after = await read()
    expect(after).not.toContain('remote')
    expect(after).toContain('# Notifications go last\n[tui]')
    expect(after).toContain('[mcp_servers.docs]')
    expect(Object.keys((parseToml(after) as { mcp_servers: object }).mcp_servers)).toEqual(['docs'])
    await undoChange(id, backups)
    const back = parseToml(await read()) as { mcp_servers: Record<string, unknown> }
    expect(back.mcp_servers['remote']).toEqual((parseToml(CONFIG) as { mcp_servers: Record<string, unknown> }).mcp_servers['remote'])
  })

  it('keeps Windows line endings and writes the new table with them', async () => {
    const crlf = CONFIG.replace(/\n/g, '\r\n')
    await put(crlf)
    await applyPlan(await planAdd(location, helper), backups)
    const after = await read()
    inserted(crlf, after)
    expect(after).toContain('X-Trace = "TRACE_ID"\r\n\r\n[mcp_servers.kw]\r\nurl = ')
    expect(after.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('adds to servers written as dotted keys and inline tables under [mcp_servers]', async () => {
    const text = '[mcp_servers]\nold.url = "https://old.example/mcp"\nother = { url = "https://other.example/mcp" }\n'
    await put(text)
    const id = await applyPlan(await planAdd(location, inline), backups)
    const parsed = parseToml(await read()) as { mcp_servers: Record<string, unknown> }
    expect(Object.keys(parsed.mcp_servers)).toEqual(['old', 'other', 'kw'])
    expect(parsed.mcp_servers['kw']).toEqual({ url: inline.url, http_headers: { Authorization: `Bearer ${KEY}` } })
    expect((await readContainer(location)).servers['other']).toEqual({ url: 'https://other.example/mcp' })
    await undoChange(id, backups)
    expect(await read()).toBe(text)
  })

  it('creates config.toml with the server when there is none, and undo removes the file', async () => {
    const id = await applyPlan(await planAdd(location, helper), backups)
    expect(parseToml(await read())).toEqual({ mcp_servers: { kw: { url: helper.url, http_headers_helper: helper.helperCommand } } })
    await undoChange(id, backups)
    await expect(read()).rejects.toThrow(/ENOENT/)
  })

  it('refuses a file that is not valid TOML, naming the file and line, and changes nothing', async () => {
    const broken = CONFIG.replace('trust_level = "trusted"', 'trust_level = "trusted')
    await put(broken)
    await expect(planAdd(location, helper)).rejects.toThrow(
      new RegExp(`${location.file.replace(/[.]/g, '\\.')} has a TOML error at line 6`)
    )
    const dup = `${CONFIG}\n[mcp_servers.docs]\nurl = "x"\n`
    await put(dup)
    await expect(planAdd(location, helper)).rejects.toThrow(/line 29/)
    expect(await read()).toBe(dup)
  })

  it('refuses to write when config.toml changed after the preview', async () => {
    await put(CONFIG)
    const plan = await planAdd(location, helper)
    await put(`${CONFIG}# edited meanwhile\n`)
    await expect(applyPlan(plan, backups)).rejects.toMatchObject({ code: 'file-changed' })
    expect(await read()).toBe(`${CONFIG}# edited meanwhile\n`)
  })

  it('refuses a server name that is taken, and mcp_servers that is not a table', async () => {
    await put(CONFIG)
    await expect(planAdd(location, { ...helper, name: 'docs' })).rejects.toThrow(/already has a server named "docs".*docs-2/)
    await put('mcp_servers = "none"\n')
    await expect(planAdd(location, helper)).rejects.toThrow(/"mcp_servers" at line 1, column 1 should be a table/)
  })

  it('masks keys in http_headers in the preview, whoever wrote them', async () => {
    await put(CONFIG)
    const plan = await planAdd(location, inline)
    expect(plan.holdsSecret).toBe(true)
    expect(plan.diff).toContain('+[mcp_servers.kw]')
    expect(plan.diff).not.toContain(KEY)
    expect(plan.diff).toContain('lk_live_')
  })

  it('finds servers and the fingerprint of a pasted key when scanning', async () => {
    await put(CONFIG)
    const { findings, problems } = await scanLocations([location])
    expect(problems).toEqual([])
    const byName = Object.fromEntries(findings.map((f) => [f.serverName, f]))
    expect(byName['remote']).toMatchObject({ url: 'https://remote.example/mcp', placement: 'inline', prefix: 'sbx_OLDo' })
    expect(byName['remote']!.fingerprint).toBeTruthy()
    expect(byName['docs']).toMatchObject({ placement: 'other' })
  })

  it('masks every header and env value in TOML, in sections and inline tables, and keeps header names and variable names', () => {
    const text = [
      '[mcp_servers.a.http_headers]',
      'Authorization = "Bearer zzzzzzzzzzzzzzzzzzzz"   # pasted',
      '[mcp_servers.b]',
      'http_headers = { "X-Key" = "abcdefghijklmnop", X-Team = "core-platform" }',
      "env = { TOKEN = 'qwertyuiopasdfgh' }",
      'env_http_headers = { "X-Key" = "MY_KEY_VARIABLE" }',
      'url = "https://b.example/mcp"'
    ].join('\n')
    const masked = maskToml(text, [])
    expect(masked).toContain('Authorization = "Bearer zzzzzzzz…"   # pasted')
    expect(masked).toContain('http_headers = { "X-Key" = "abcdefgh…", X-Team = "core-pla…" }')
    expect(masked).toContain('env = { TOKEN = "qwertyui…" }')
    expect(masked).toContain('env_http_headers = { "X-Key" = "MY_KEY_VARIABLE" }')
    expect(masked).toContain('url = "https://b.example/mcp"')
  })

  it('names a server that is no bare key with a quoted key, and keeps Windows paths and quotes in a helper command', async () => {
    const command = 'C:\\Program Files\\Keywarden\\Keywarden.exe mcp-headers 0b6a --data-dir "C:\\Users\\Ada\\AppData\\Roaming\\Keywarden"'
    const id = await applyPlan(await planAdd(location, { ...helper, name: 'team.docs', helperCommand: command }), backups)
    const text = await read()
    expect(text).toContain('[mcp_servers."team.docs"]')
    expect(
      (parseToml(text) as { mcp_servers: Record<string, { http_headers_helper: string }> }).mcp_servers['team.docs']!.http_headers_helper
    ).toBe(command)
    await undoChange(id, backups)
  })
})
