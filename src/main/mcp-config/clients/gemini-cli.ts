import type { PathContext } from '../paths'
import { bridgeCommandOf, entryShapes, folderPresence, inlineHeaders, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'

/** `~/.gemini`, or `$GEMINI_CLI_HOME/.gemini`: the variable stands in for the home folder. */
const geminiDir = (ctx: PathContext) => pathsOf(ctx.platform).join(ctx.env.GEMINI_CLI_HOME || ctx.home, '.gemini')

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Gemini CLI', {
  bridge: (spec) => ({ ...bridgeCommandOf(spec) }),
  env: (spec) => ({ url: spec.url, type: 'http', headers: { [spec.header.name]: headerValue(spec.header, `\${${spec.envVar}}`) } }),
  inline: (spec) => ({ url: spec.url, type: 'http', headers: inlineHeaders(spec) })
})

/**
 * Gemini CLI: `settings.json` in `~/.gemini` and in `<project>/.gemini` (read only in folders the
 * person trusts), servers under `mcpServers`. Remote servers are `url` with `"type": "http"`;
 * `$VAR` and `${VAR}` are expanded in any string. Stdio servers get an environment with every
 * variable named like a secret (KEY, TOKEN, SECRET…) removed, which the bridge does not need.
 */
export const geminiCli: ClientModule = {
  clients: ['gemini-cli'],
  rank: 70,
  describe: () => [
    {
      client: 'gemini-cli',
      label: 'Gemini CLI',
      scopes: [
        { id: 'user', label: 'User (~/.gemini/settings.json)' },
        { id: 'project', label: 'Project (.gemini/settings.json, trusted folders only)', project: true }
      ],
      placements: shapes.placements,
      afterWrite:
        "Start Gemini CLI again (or run /mcp reload in it) to connect; a project's .gemini/settings.json counts only in a trusted folder.",
      command: 'gemini',
      placementNotes: {
        env: 'Environment variable: start Gemini CLI with `keywarden run --client gemini-cli -- gemini`; settings.json holds only ${VAR}'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('gemini-cli', 'Gemini CLI', geminiDir(ctx), ['settings.json'])
  },
  locations(ctx, { projects }) {
    const j = pathsOf(ctx.platform)
    return [
      {
        client: 'gemini-cli',
        scope: 'user',
        label: 'Gemini CLI (user)',
        file: j.join(geminiDir(ctx), 'settings.json'),
        container: ['mcpServers']
      },
      ...projects.map((project) => ({
        client: 'gemini-cli' as const,
        scope: 'project',
        label: `Gemini CLI (project ${j.basename(project)})`,
        file: j.join(project, '.gemini', 'settings.json'),
        container: ['mcpServers'],
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
