import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd } from '../../../src/main/mcp-config/plan'
import { locationFor } from '../../../src/main/mcp-config/clients'
import type { ClientId, Placement } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

const existing =
  '{\n  "mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  },\n  "servers": {\n    "docs": { "type": "http", "url": "https://docs.example/mcp" }\n  }\n}\n'
const KEY = 'lk_live_7Hq2mX9pR4vT8wY1zB3nC5dF'
const cases: Array<{
  client: ClientId
  scope: string
  project?: boolean
  placement: Placement
  container: string
  entry: Record<string, unknown>
}> = [
  {
    client: 'claude-code',
    scope: 'user',
    placement: 'helper',
    container: 'mcpServers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headersHelper: 'keywarden mcp-headers b1' }
  },
  {
    client: 'claude-code',
    scope: 'user',
    placement: 'inline',
    container: 'mcpServers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'claude-code',
    scope: 'project',
    project: true,
    placement: 'inline',
    container: 'mcpServers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'cursor',
    scope: 'global',
    placement: 'inline',
    container: 'mcpServers',
    entry: { url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'cursor',
    scope: 'project',
    project: true,
    placement: 'inline',
    container: 'mcpServers',
    entry: { url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'vscode',
    scope: 'user',
    placement: 'inline',
    container: 'servers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'vscode',
    scope: 'profile:9c1d',
    placement: 'inline',
    container: 'servers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: `Bearer ${KEY}` } }
  },
  {
    client: 'vscode-insiders',
    scope: 'user',
    placement: 'input',
    container: 'servers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: 'Bearer ${input:lyceum-key}' } }
  },
  {
    client: 'vscode',
    scope: 'workspace',
    project: true,
    placement: 'input',
    container: 'servers',
    entry: { type: 'http', url: 'https://mcp.example/v1', headers: { Authorization: 'Bearer ${input:lyceum-key}' } }
  }
]

describe('each client and scope gets its own entry shape, next to what was there', () => {
  for (const c of cases) {
    it(`${c.client} ${c.scope} (${c.placement})`, async () => {
      const root = await tempFolder('kw-golden-')
      const home = join(root, 'home')
      const project = join(home, 'src', 'app')
      const location = locationFor({ home, platform: 'linux', env: {} }, c.client, c.scope, c.project ? project : undefined)!
      await mkdir(dirname(location.file), { recursive: true })
      await writeFile(location.file, existing)
      const spec: ServerSpec = {
        name: 'lyceum',
        url: 'https://mcp.example/v1',
        header: { name: 'Authorization', scheme: 'Bearer' },
        placement: c.placement,
        secret: c.placement === 'inline' ? KEY : undefined,
        helperCommand: c.placement === 'helper' ? 'keywarden mcp-headers b1' : undefined,
        input: c.placement === 'input' ? { id: 'lyceum-key', description: 'Lyceum API key' } : undefined
      }
      await applyPlan(await planAdd(location, spec), createBackupStore(join(root, 'data'), testKeychain()))
      const after = await readFile(location.file, 'utf8')
      const json = JSON.parse(after) as Record<string, Record<string, unknown>>
      expect(json[c.container]?.['lyceum']).toEqual(c.entry)
      expect(json[c.container]?.['docs']).toBeDefined()
      // The other container is untouched byte for byte.
      const other =
        c.container === 'servers'
          ? '"mcpServers": {\n    "docs": { "url": "https://docs.example/mcp" }\n  }'
          : '"servers": {\n    "docs": { "type": "http", "url": "https://docs.example/mcp" }\n  }'
      expect(after).toContain(other)
      if (c.placement === 'input')
        expect(json['inputs']).toEqual([{ type: 'promptString', id: 'lyceum-key', description: 'Lyceum API key', password: true }])
      if (c.placement !== 'inline') expect(after).not.toContain('lk_')
    })
  }
})
