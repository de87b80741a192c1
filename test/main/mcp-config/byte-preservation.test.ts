import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, planRemove, planSetHeader } from '../../../src/main/mcp-config/plan'
import type { ConfigLocation } from '../../../src/main/mcp-config/paths'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { tempFolder } from '../../support/temp-folder'

const fixtures = join(import.meta.dirname, '../../fixtures/tools')
const KEY = 'lk_live_7Hq2mX9pR4vT8wY1zB3nC5dF'
const helper: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'helper',
  helperCommand: 'keywarden mcp-headers b1'
}
const inline: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'inline',
  secret: KEY
}

let home: string
let backups: BackupStore
beforeEach(async () => {
  const root = await tempFolder('kw-bytes-')
  home = join(root, 'home')
  await mkdir(home)
  backups = createBackupStore(join(root, 'data'), testKeychain())
})
const loc = (client: Parameters<typeof locationFor>[1], scope: string, project?: string): ConfigLocation =>
  locationFor({ home, platform: 'linux', env: {} }, client, scope, project)!

/**
 * The texts inserted into `before` to make `after` (at most two places), failing if any byte of
 * `before` is missing or changed: what a person sees is their own file plus the new entry.
 */
function insertionsOnly(before: string, after: string): string[] {
  let p = 0
  while (p < before.length && before[p] === after[p]) p++
  const b = before.slice(p)
  const a = after.slice(p)
  if (a.endsWith(b)) return [a.slice(0, a.length - b.length)]
  for (let first = 1; first < a.length; first++) {
    let q = 0
    while (q < b.length && b[q] === a[first + q]) q++
    if (q > 0 && a.slice(first + q).endsWith(b.slice(q))) return [a.slice(0, first), a.slice(first + q, a.length - (b.length - q))]
  }
  throw new Error(`the old file is not kept around the insertions (first difference at ${p}: ${JSON.stringify(before.slice(p, p + 30))})`)
}

async function addTo(location: ConfigLocation, text: string, spec: ServerSpec = helper) {
  await mkdir(dirname(location.file), { recursive: true })
  await writeFile(location.file, text)
  await applyPlan(await planAdd(location, spec), backups)
  return readFile(location.file, 'utf8')
}

describe('bytes outside the edited entry stay exactly as they were', () => {
  it('keeps a one-line neighbour on one line, and its trailing comment on its own line', async () => {
    const before = '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" } // my docs\n  }\n}\n'
    const after = await addTo(loc('claude-code', 'user'), before)
    expect(after).toBe(
      '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }, // my docs\n    "kw": {\n      "type": "http",\n      "url": "https://mcp.example/v1",\n      "headersHelper": "keywarden mcp-headers b1"\n    }\n  }\n}\n'
    )
    expect(insertionsOnly(before, after)).toEqual([',', expect.stringContaining('"kw": {')])
  })

  it('adds to a minified .mcp.json on one line, leaving the rest of it (projects and all) as it was', async () => {
    const project = join(home, 'repo')
    const before = '{"mcpServers":{"docs":{"url":"https://d"}},"numStartups":3,"projects":{"/a":{"x":[1,2,3]}}}'
    const after = await addTo(loc('claude-code', 'project', project), before)
    expect(after).toBe(
      '{"mcpServers":{"docs":{"url":"https://d"},"kw":{"type":"http","url":"https://mcp.example/v1","headersHelper":"keywarden mcp-headers b1"}},"numStartups":3,"projects":{"/a":{"x":[1,2,3]}}}'
    )
    expect(insertionsOnly(before, after)).toHaveLength(1)
  })

  it('keeps comments, trailing commas and the comment above the servers in a VS Code file', async () => {
    const location = loc('vscode', 'user')
    await mkdir(dirname(location.file), { recursive: true })
    await copyFile(join(fixtures, 'vscode-user-commented.jsonc'), location.file)
    const before = await readFile(location.file, 'utf8')
    await applyPlan(
      await planAdd(location, { ...inline, placement: 'input', secret: undefined, input: { id: 'kw-key', description: 'Lyceum API key' } }),
      backups
    )
    const after = await readFile(location.file, 'utf8')
    expect(insertionsOnly(before, after)).toHaveLength(2)
    // One new element in inputs and one new server, each in the file's trailing-comma style.
    const input =
      '\n    {\n      "type": "promptString",\n      "id": "kw-key",\n      "description": "Lyceum API key",\n      "password": true\n    },'
    const server =
      '\n    "kw": {\n      "type": "http",\n      "url": "https://mcp.example/v1",\n      "headers": {\n        "Authorization": "Bearer ${input:kw-key}"\n      }\n    },'
    expect(after).toBe(
      before
        .replace('"password": true },\n', `"password": true },${input}\n`)
        .replace('// prompted\n    },\n', `// prompted\n    },${server}\n`)
    )
  })

  it('keeps CRLF and tabs, and a byte-order mark', async () => {
    const location = loc('cursor', 'global')
    const before = '\uFEFF{\r\n\t"mcpServers": {\r\n\t\t"docs": {\r\n\t\t\t"url": "https://docs.example.com/mcp"\r\n\t\t}\r\n\t}\r\n}\r\n'
    const after = await addTo(location, before, inline)
    expect(after.startsWith('\uFEFF{\r\n')).toBe(true)
    const [inserted] = insertionsOnly(before, after)
    expect(inserted).toBe(
      `,\r\n\t\t"kw": {\r\n\t\t\t"url": "https://mcp.example/v1",\r\n\t\t\t"headers": {\r\n\t\t\t\t"Authorization": "Bearer ${KEY}"\r\n\t\t\t}\r\n\t\t}`
    )
    expect(after.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('indents like the keys, not like a block comment at the top', async () => {
    const before = '/*\n * my config\n */\n{\n    "mcpServers": {}\n}\n'
    const after = await addTo(loc('cursor', 'global'), before, { ...helper, placement: 'inline', secret: KEY })
    expect(after).toBe(
      `/*\n * my config\n */\n{\n    "mcpServers": {\n        "kw": {\n            "url": "https://mcp.example/v1",\n            "headers": {\n                "Authorization": "Bearer ${KEY}"\n            }\n        }\n    }\n}\n`
    )
  })

  it('edits one project of a large ~/.claude.json: the text before and after the entry is identical', async () => {
    const projects: Record<string, unknown> = {}
    for (let i = 0; i < 600; i++)
      projects[`/home/me/src/p${i}`] = {
        allowedTools: [],
        history: [{ display: `fix ${i}` }],
        mcpServers: i % 3 ? {} : { docs: { type: 'http', url: 'https://d' } }
      }
    const before = JSON.stringify({ numStartups: 42, projects, mcpServers: { other: { type: 'stdio', command: 'x' } } }, null, 2)
    const location = loc('claude-code', 'local', '/home/me/src/p300')
    const after = await addTo(location, before)
    const inserted = insertionsOnly(before, after)
    expect(inserted).toEqual([expect.stringMatching(/^,\n {8}"kw": \{/)])
    expect(JSON.parse(after).projects['/home/me/src/p300'].mcpServers).toEqual({
      docs: { type: 'http', url: 'https://d' },
      kw: { type: 'http', url: 'https://mcp.example/v1', headersHelper: 'keywarden mcp-headers b1' }
    })

    // Removing it again gives the original file back, byte for byte.
    await applyPlan(await planRemove(location, 'kw'), backups)
    expect(await readFile(location.file, 'utf8')).toBe(before)
  })

  it('replaces only the header value when a key changes', async () => {
    const location = loc('cursor', 'global')
    const before = `{\n  "mcpServers": {\n    "kw": { "url": "u", "headers": { "Authorization": "Bearer ${KEY}" } } // rotated monthly\n  }\n}\n`
    await mkdir(dirname(location.file), { recursive: true })
    await writeFile(location.file, before)
    const NEW = 'lk_live_NEWNEWNEWNEWNEWNEWNEWNEW'
    await applyPlan(await planSetHeader(location, 'kw', 'Authorization', `Bearer ${NEW}`, [KEY]), backups)
    expect(await readFile(location.file, 'utf8')).toBe(before.replace(KEY, NEW))
  })
})

describe('the diff shown before writing', () => {
  const OTHER = 'vib_OTHERSECRETvalue1234567890abcdefOTHERSECRETvalue1234567890abcd'
  it("masks a neighbouring server's key that appears in the context lines", async () => {
    const location = loc('cursor', 'global')
    await mkdir(dirname(location.file), { recursive: true })
    await writeFile(
      location.file,
      `{\n  "mcpServers": {\n    "vibexp": {\n      "url": "https://api.vibexp.io/mcp",\n      "headers": { "Authorization": "Bearer ${OTHER}", "X-Team": "t-4821-secret-team-token" },\n      "env": { "TOKEN": "plain-secret-value" }\n    }\n  }\n}\n`
    )
    const add = await planAdd(location, inline)
    expect(add.diff).toContain('"Authorization": "Bearer vib_OTHE…"')
    expect(add.diff).toContain('"Authorization": "Bearer lk_live_…"')
    for (const secret of [OTHER, KEY, 't-4821-secret-team-token', 'plain-secret-value']) expect(add.diff).not.toContain(secret)
    await applyPlan(add, backups)
    const remove = await planRemove(location, 'kw')
    expect(remove.diff).toContain('-    "kw": {')
    for (const secret of [OTHER, KEY, 't-4821-secret-team-token', 'plain-secret-value']) expect(remove.diff).not.toContain(secret)
  })

  it('masks a key with a known prefix anywhere in the lines shown, comments included', async () => {
    const location = loc('vscode', 'user')
    await mkdir(dirname(location.file), { recursive: true })
    await writeFile(
      location.file,
      `{\n  // old key: lysk-abcdefghijklmnopqrstuv\n  "servers": {\n    "a": { "url": "https://x.example/?key=sbx_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" }\n  }\n}\n`
    )
    const plan = await planAdd(location, { ...inline, placement: 'input', secret: undefined, input: { id: 'kw-key', description: 'k' } })
    expect(plan.diff).toContain('lysk-abc…')
    expect(plan.diff).toContain('sbx_ABCD…')
    expect(plan.diff).not.toContain('lysk-abcdefghijklmnopqrstuv')
    expect(plan.diff).not.toContain('sbx_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345')
    expect(plan.diff).toContain('${input:kw-key}')
  })
})
