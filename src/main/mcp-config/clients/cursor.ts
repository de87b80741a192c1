import { bridgeCommandOf, entryShapes, folderPresence, inlineHeaders, pathsOf, type ClientModule } from './client'

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Cursor', {
  bridge: (spec) => ({ type: 'stdio', ...bridgeCommandOf(spec) }),
  inline: (spec) => ({ url: spec.url, headers: inlineHeaders(spec) })
})

/**
 * Cursor: `~/.cursor/mcp.json` and `<folder>/.cursor/mcp.json`, `mcpServers`, `url` means remote and
 * `command` a local (stdio) server. Cursor has no way to fetch a header at connect time, so the
 * keychain bridge, a local server Cursor starts, is how a key stays out of its file.
 */
export const cursor: ClientModule = {
  clients: ['cursor'],
  rank: 20,
  describe: () => [
    {
      client: 'cursor',
      label: 'Cursor',
      scopes: [
        { id: 'global', label: 'Global' },
        { id: 'project', label: 'Project (.cursor/mcp.json)', project: true }
      ],
      placements: shapes.placements,
      afterWrite: "Cursor picks the change up by itself; check it under Settings → MCP if it doesn't appear."
    }
  ],
  async detect(ctx) {
    return folderPresence('cursor', 'Cursor', pathsOf(ctx.platform).join(ctx.home, '.cursor'), ['mcp.json'])
  },
  locations(ctx, { projects }) {
    const j = pathsOf(ctx.platform)
    return [
      {
        client: 'cursor',
        scope: 'global',
        label: 'Cursor (global)',
        file: j.join(ctx.home, '.cursor', 'mcp.json'),
        container: ['mcpServers']
      },
      ...projects.map((project) => ({
        client: 'cursor' as const,
        scope: 'project',
        label: `Cursor (project ${j.basename(project)})`,
        file: j.join(project, '.cursor', 'mcp.json'),
        container: ['mcpServers'],
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
