import { bridgeCommandOf, entryShapes, folderPresence, inlineHeaders, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'
import type { PathContext } from '../paths'

const windsurfDir = (ctx: PathContext) => pathsOf(ctx.platform).join(ctx.home, '.codeium', 'windsurf')

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Windsurf', {
  bridge: (spec) => ({ ...bridgeCommandOf(spec) }),
  env: (spec) => ({ serverUrl: spec.url, headers: { [spec.header.name]: headerValue(spec.header, `\${env:${spec.envVar}}`) } }),
  inline: (spec) => ({ serverUrl: spec.url, headers: inlineHeaders(spec) })
})

/**
 * Windsurf: one `mcp_config.json` in `~/.codeium/windsurf` (under %USERPROFILE% on Windows),
 * servers under `mcpServers`. A remote server's address is `serverUrl` — an entry copied from
 * Cursor with `url` does not connect. `${env:VAR}` is expanded in `serverUrl` and `headers`.
 */
export const windsurf: ClientModule = {
  clients: ['windsurf'],
  rank: 60,
  describe: () => [
    {
      client: 'windsurf',
      label: 'Windsurf',
      scopes: [{ id: 'user', label: 'User (~/.codeium/windsurf/mcp_config.json)' }],
      placements: shapes.placements,
      afterWrite: "Press Refresh in Windsurf's MCP panel (Cascade → MCP servers) to load the server.",
      command: 'windsurf',
      placementNotes: {
        env: 'Environment variable: start Windsurf with `keywarden run --client windsurf -- windsurf` from a terminal (started from the dock or menu it gets no key); the file holds only ${env:VAR}'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('windsurf', 'Windsurf', windsurfDir(ctx), ['mcp_config.json'])
  },
  locations(ctx) {
    return [
      {
        client: 'windsurf',
        scope: 'user',
        label: 'Windsurf',
        file: pathsOf(ctx.platform).join(windsurfDir(ctx), 'mcp_config.json'),
        container: ['mcpServers']
      }
    ]
  },
  render: shapes.render
}
