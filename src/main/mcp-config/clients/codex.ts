import { bridgeCommandOf, entryShapes, folderPresence, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'
import type { PathContext } from '../paths'

const codexHome = (ctx: PathContext) => ctx.env.CODEX_HOME || pathsOf(ctx.platform).join(ctx.home, '.codex')

/**
 * OpenAI Codex (its CLI, IDE extension and desktop app share one file): `config.toml` in
 * `~/.codex` (or `$CODEX_HOME`), and `<project>/.codex/config.toml`, which Codex reads only in
 * projects the person trusts. Servers are `[mcp_servers.<name>]` tables. `http_headers_helper` is
 * a command line Codex runs through a shell at connect time, reading a JSON object of headers
 * from it; a `headers` table and an inline `bearer_token` are not accepted, so a key in the file
 * goes into `http_headers`.
 */
const BRIDGE_STARTUP_SECONDS = 30

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('Codex', {
  helper: (spec) => ({ url: spec.url, http_headers_helper: spec.helperCommand }),
  // Codex gives a starting server 10 s by default; the bridge may wait on the keychain (an unlock
  // prompt) and the remote server before it answers, so it gets more.
  bridge: (spec) => ({ ...bridgeCommandOf(spec), startup_timeout_sec: BRIDGE_STARTUP_SECONDS }),
  // bearer_token_env_var sends "Bearer <value>"; any other header takes the value as it is.
  env: (spec) =>
    spec.header.scheme === 'Bearer' && spec.header.name.toLowerCase() === 'authorization'
      ? { url: spec.url, bearer_token_env_var: spec.envVar }
      : { url: spec.url, env_http_headers: { [spec.header.name]: spec.envVar } },
  inline: (spec) => ({ url: spec.url, http_headers: { [spec.header.name]: headerValue(spec.header, spec.secret ?? '') } })
})

export const codex: ClientModule = {
  clients: ['codex'],
  rank: 40,
  describe: () => [
    {
      client: 'codex',
      label: 'Codex',
      scopes: [
        { id: 'user', label: 'User (~/.codex/config.toml)' },
        { id: 'project', label: 'Project (.codex/config.toml, trusted projects only)', project: true }
      ],
      placements: shapes.placements,
      afterWrite:
        "Start a new Codex session (CLI, IDE extension or app) to connect; Codex reads a project's .codex/config.toml only once you trust the project.",
      command: 'codex',
      placementNotes: {
        helper: 'Keychain helper: Codex runs Keywarden for the header each time it connects — nothing secret in config.toml',
        env: 'Environment variable: start Codex with `keywarden run --client codex -- codex`; config.toml names only the variable',
        inline: 'In config.toml (a plaintext copy, sent as a static header)'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('codex', 'Codex', codexHome(ctx), ['config.toml'])
  },
  locations(ctx, { projects }) {
    const j = pathsOf(ctx.platform)
    return [
      {
        client: 'codex',
        scope: 'user',
        label: 'Codex (user)',
        file: j.join(codexHome(ctx), 'config.toml'),
        container: ['mcp_servers']
      },
      ...projects.map((project) => ({
        client: 'codex' as const,
        scope: 'project',
        label: `Codex (project ${j.basename(project)})`,
        file: j.join(project, '.codex', 'config.toml'),
        container: ['mcp_servers'],
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
