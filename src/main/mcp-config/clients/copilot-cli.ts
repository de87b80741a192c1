import { existsSync } from 'node:fs'
import type { PathContext } from '../paths'
import { bridgeCommandOf, entryShapes, folderPresence, inlineHeaders, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'

/** `~/.copilot`, or `$COPILOT_HOME`. (XDG_CONFIG_HOME has not moved it since release 1.0.4.) */
const copilotHome = (ctx: PathContext) => ctx.env.COPILOT_HOME || pathsOf(ctx.platform).join(ctx.home, '.copilot')

/**
 * A workspace's file as Copilot CLI reads it: `.mcp.json`, or `.github/mcp.json` when that is the
 * only one (checked with 1.0.102: with both present, `.github/mcp.json` is ignored — so creating
 * `.mcp.json` beside it would hide its servers).
 */
function workspaceFile(ctx: PathContext, project: string): string {
  const j = pathsOf(ctx.platform)
  const has = ctx.exists ?? existsSync
  const root = j.join(project, '.mcp.json')
  const github = j.join(project, '.github', 'mcp.json')
  return !has(root) && has(github) ? github : root
}

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Copilot CLI', {
  // "stdio" (Copilot CLI reads it as "local"): a workspace's .mcp.json is Claude Code's project file
  // too, and Claude Code ignores "local" entries.
  bridge: (spec) => ({ type: 'stdio', ...bridgeCommandOf(spec), tools: ['*'] }),
  env: (spec) => ({
    type: 'http',
    url: spec.url,
    headers: { [spec.header.name]: headerValue(spec.header, `\${${spec.envVar}}`) },
    tools: ['*']
  }),
  inline: (spec) => ({ type: 'http', url: spec.url, headers: inlineHeaders(spec), tools: ['*'] })
})

/**
 * GitHub Copilot CLI: `mcp-config.json` in `~/.copilot` and a workspace's `.mcp.json` (read only
 * in folders the person trusts), servers under `mcpServers`. Remote servers are `"type": "http"`;
 * local ones `"type": "stdio"` (its alias of `"local"`, which Claude Code also reads) with `command`
 * and `args`; both list the tools to allow.
 */
export const copilotCli: ClientModule = {
  clients: ['copilot-cli'],
  rank: 80,
  describe: () => [
    {
      client: 'copilot-cli',
      label: 'GitHub Copilot CLI',
      scopes: [
        { id: 'user', label: 'User (~/.copilot/mcp-config.json)' },
        { id: 'workspace', label: 'Workspace (.mcp.json, trusted folders only)', project: true }
      ],
      placements: shapes.placements,
      afterWrite:
        "Start Copilot CLI again to connect (`copilot mcp list` shows the server); a workspace's .mcp.json counts only in a trusted folder.",
      command: 'copilot',
      placementNotes: {
        env: 'Environment variable: start Copilot CLI with `keywarden run --client copilot-cli -- copilot`; the file holds only ${VAR}'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('copilot-cli', 'GitHub Copilot CLI', copilotHome(ctx), ['mcp-config.json'])
  },
  locations(ctx, { projects }) {
    const j = pathsOf(ctx.platform)
    return [
      {
        client: 'copilot-cli',
        scope: 'user',
        label: 'Copilot CLI (user)',
        file: j.join(copilotHome(ctx), 'mcp-config.json'),
        container: ['mcpServers']
      },
      ...projects.map((project) => ({
        client: 'copilot-cli' as const,
        scope: 'workspace',
        label: `Copilot CLI (workspace ${j.basename(project)})`,
        file: workspaceFile(ctx, project),
        container: ['mcpServers'],
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
