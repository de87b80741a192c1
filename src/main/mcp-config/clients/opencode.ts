import { existsSync } from 'node:fs'
import type { PathContext } from '../paths'
import { bridgeCommandOf, commandLine, entryShapes, folderPresence, inlineHeaders, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'

/** `~/.config/opencode` (or under XDG_CONFIG_HOME) on every platform, Windows included. */
const configDir = (ctx: PathContext) =>
  pathsOf(ctx.platform).join(ctx.env.XDG_CONFIG_HOME || pathsOf(ctx.platform).join(ctx.home, '.config'), 'opencode')

/** The file opencode itself writes to in a folder: opencode.json, else an existing opencode.jsonc. */
function configFile(ctx: PathContext, dir: string): string {
  const j = pathsOf(ctx.platform)
  const has = ctx.exists ?? existsSync
  return [j.join(dir, 'opencode.json'), j.join(dir, 'opencode.jsonc')].find(has) ?? j.join(dir, 'opencode.json')
}

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('opencode', {
  bridge: (spec) => ({ type: 'local', command: commandLine(bridgeCommandOf(spec)) }),
  env: (spec) => ({
    type: 'remote',
    url: spec.url,
    oauth: false,
    headers: { [spec.header.name]: headerValue(spec.header, `{env:${spec.envVar}}`) }
  }),
  inline: (spec) => ({ type: 'remote', url: spec.url, oauth: false, headers: inlineHeaders(spec) })
})

/**
 * opencode: `opencode.json` or `opencode.jsonc` in `~/.config/opencode` and at a project's root,
 * servers under `mcp`. Remote servers are `"type": "remote"` with `"oauth": false` (without it,
 * opencode tries OAuth instead of the header); local ones take the whole command line as one list.
 * Placeholders are `{env:VAR}`.
 */
export const opencode: ClientModule = {
  clients: ['opencode'],
  rank: 90,
  describe: () => [
    {
      client: 'opencode',
      label: 'opencode',
      scopes: [
        { id: 'user', label: 'User (~/.config/opencode)' },
        { id: 'project', label: 'Project (opencode.json)', project: true }
      ],
      placements: shapes.placements,
      afterWrite: 'Start opencode again to connect (`opencode mcp list` shows whether it does).',
      command: 'opencode',
      placementNotes: {
        env: 'Environment variable: start opencode with `keywarden run --client opencode -- opencode`; the file holds only {env:VAR}'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('opencode', 'opencode', configDir(ctx), ['opencode.json', 'opencode.jsonc'])
  },
  locations(ctx, { projects }) {
    const j = pathsOf(ctx.platform)
    return [
      {
        client: 'opencode',
        scope: 'user',
        label: 'opencode (user)',
        file: configFile(ctx, configDir(ctx)),
        container: ['mcp']
      },
      ...projects.map((project) => ({
        client: 'opencode' as const,
        scope: 'project',
        label: `opencode (project ${j.basename(project)})`,
        file: configFile(ctx, project),
        container: ['mcp'],
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
