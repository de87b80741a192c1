import { claudeJsonPath } from '../paths'
import { bridgeCommandOf, entryShapes, exists, inlineHeaders, pathsOf, type ClientModule } from './client'

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Claude Code', {
  helper: (spec) => ({ type: 'http', url: spec.url, headersHelper: spec.helperCommand }),
  bridge: (spec) => ({ type: 'stdio', ...bridgeCommandOf(spec), env: {} }),
  inline: (spec) => ({ type: 'http', url: spec.url, headers: inlineHeaders(spec) })
})

/**
 * Claude Code: user scope at the top of ~/.claude.json (or inside CLAUDE_CONFIG_DIR), local scope
 * under that file's `projects["<folder>"]`, project scope in `<folder>/.mcp.json`. Entries need
 * `"type": "http"`; a `headersHelper` command keeps the key out of the file, and so does the keychain
 * bridge, a `"type": "stdio"` entry that Claude Code starts.
 */
export const claudeCode: ClientModule = {
  clients: ['claude-code'],
  rank: 10,
  describe: () => [
    {
      client: 'claude-code',
      label: 'Claude Code',
      scopes: [
        { id: 'user', label: 'User (all projects)' },
        { id: 'local', label: 'Local (one project, only you)', project: true },
        { id: 'project', label: 'Project (.mcp.json, shared)', project: true }
      ],
      placements: shapes.placements,
      command: 'claude',
      afterWrite: 'Run /mcp in Claude Code (or start a new session) to connect.'
    }
  ],
  async detect(ctx) {
    const file = claudeJsonPath(ctx)
    const dir = ctx.env.CLAUDE_CONFIG_DIR || pathsOf(ctx.platform).join(ctx.home, '.claude')
    const found = (await exists(file)) ? file : (await exists(dir)) ? dir : undefined
    return [{ client: 'claude-code', label: 'Claude Code', installed: Boolean(found), evidence: found ?? file }]
  },
  locations(ctx, { projects }) {
    const file = claudeJsonPath(ctx)
    const j = pathsOf(ctx.platform)
    return [
      { client: 'claude-code', scope: 'user', label: 'Claude Code (user)', file, container: ['mcpServers'] },
      ...projects.flatMap((project) => [
        // Windows and macOS: a folder keyed with other letter case or slashes is the same project.
        {
          client: 'claude-code' as const,
          scope: 'local',
          label: `Claude Code (local, ${j.basename(project)})`,
          file,
          container: ['projects', project, 'mcpServers'],
          projectPath: project,
          looseProjectKey: ctx.platform !== 'linux'
        },
        {
          client: 'claude-code' as const,
          scope: 'project',
          label: `Claude Code (project ${j.basename(project)})`,
          file: j.join(project, '.mcp.json'),
          container: ['mcpServers'],
          projectPath: project
        }
      ])
    ]
  },
  render: shapes.render
}
