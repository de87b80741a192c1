import { getLocation, parse } from 'jsonc-parser'
import type { Finding } from '../../shared/findings'
import type { ConfigLocation } from '../mcp-config/paths'

type ConfigContext = NonNullable<Finding['config']>

/** Keys under which MCP clients keep their servers (Claude Code, VS Code, Zed, opencode, Codex). */
const SERVER_LISTS = new Set(['mcpServers', 'servers', 'context_servers', 'mcp', 'mcp_servers'])

function fieldOf(key: string | undefined): ConfigContext['field'] {
  if (!key) return 'other'
  const k = key.toLowerCase()
  if (k === 'headers' || k === 'http_headers' || k === 'env_http_headers') return 'headers'
  if (k === 'env' || k === 'environment') return 'env'
  if (k === 'args' || k === 'command') return 'args'
  if (k === 'url' || k === 'serverurl' || k === 'httpurl') return 'url'
  return 'other'
}

/**
 * Which server and field of an MCP config hold the text at `charOffset`: through the client's
 * own location (its servers object) where Keywarden knows the file, else by the usual names of
 * server lists. JSON and JSONC by their syntax tree, TOML (Codex) by its table headers.
 */
export function configContext(text: string, charOffset: number, file: string, locations: ConfigLocation[] = []): ConfigContext | undefined {
  if (file.endsWith('.toml')) return tomlContext(text, charOffset)
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const at = text.startsWith('\uFEFF') ? charOffset - 1 : charOffset
  const jsonPath = getLocation(body, at).path.map(String)
  const location = locations
    .filter((l) => l.container.every((c, i) => String(c) === jsonPath[i]))
    .sort((a, b) => b.container.length - a.container.length)[0]
  const depth = location ? location.container.length : jsonPath.findIndex((p) => SERVER_LISTS.has(p)) + 1
  if (depth === 0 || jsonPath.length <= depth) return { field: 'other', path: jsonPath, label: location?.label, client: location?.client }
  return {
    client: location?.client,
    label: location?.label,
    scope: location?.scope,
    projectPath: location?.projectPath,
    serverName: jsonPath[depth],
    url: serverUrl(body, jsonPath.slice(0, depth + 1)),
    field: fieldOf(jsonPath[depth + 1]),
    path: jsonPath
  }
}

/** The server's url, cut to scheme, host and path: a query or user part may hold the very key found. */
function serverUrl(body: string, path: string[]): string | undefined {
  let node: unknown = parse(body, [], { allowTrailingComma: true })
  for (const p of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined
  const entry = (node ?? {}) as Record<string, unknown>
  const raw = [entry['url'], entry['serverUrl'], entry['httpUrl']].find((u): u is string => typeof u === 'string')
  try {
    const url = new URL(raw ?? '')
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return undefined
  }
}

function tomlContext(text: string, charOffset: number): ConfigContext {
  const lines = text.slice(0, charOffset).split('\n')
  const current = lines.at(-1) ?? ''
  const key = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(current)?.[1]
  for (let i = lines.length - 2; i >= 0; i--) {
    const header = /^\s*\[\s*mcp_servers\.("[^"]+"|[A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?\s*\]/.exec(lines[i]!)
    if (header) {
      const serverName = header[1]!.replace(/^"|"$/g, '')
      const table = header[2]
      return {
        client: 'codex',
        serverName,
        field: fieldOf(table ?? key),
        path: ['mcp_servers', serverName, ...(table ? [table] : []), ...(key ? [key] : [])]
      }
    }
    if (/^\s*\[/.test(lines[i]!)) break
  }
  return { field: 'other', path: key ? [key] : [] }
}
