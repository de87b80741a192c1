import { readdir } from 'node:fs/promises'
import { isProfileId, vscodeUserDir, type PathContext } from '../paths'
import { bridgeCommandOf, entryShapes, exists, inlineHeaders, pathsOf, type ClientModule } from './client'
import { headerValue } from '../server-entry'

/** The VS Code profiles found on disk, stable and Insiders. */
export async function vscodeProfiles(ctx: PathContext): Promise<{ insiders: boolean; id: string }[]> {
  const profiles: { insiders: boolean; id: string }[] = []
  for (const insiders of [false, true]) {
    const dir = pathsOf(ctx.platform).join(vscodeUserDir(ctx, insiders), 'profiles')
    for (const id of (await readdir(dir).catch(() => [] as string[])).sort()) profiles.push({ insiders, id })
  }
  return profiles
}

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes('VS Code', {
  bridge: (spec) => ({ type: 'stdio', ...bridgeCommandOf(spec) }),
  input: (spec) => ({
    type: 'http',
    url: spec.url,
    headers: { [spec.header.name]: headerValue(spec.header, `\${input:${spec.input!.id}}`) }
  }),
  inline: (spec) => ({ type: 'http', url: spec.url, headers: inlineHeaders(spec) })
})

/**
 * VS Code and VS Code Insiders: `mcp.json` in the user folder, in each named profile's folder and
 * in `<folder>/.vscode/`, servers under `servers` (never settings.json). A key can stay out of the
 * file through the keychain bridge (a stdio server VS Code starts: no prompt, nothing to re-enter
 * after a rotation) or as an `inputs` password prompt that VS Code keeps encrypted.
 */
export const vscode: ClientModule = {
  clients: ['vscode', 'vscode-insiders'],
  rank: 30,
  describe: () =>
    [false, true].map((insiders) => ({
      client: insiders ? ('vscode-insiders' as const) : ('vscode' as const),
      label: insiders ? 'VS Code Insiders' : 'VS Code',
      scopes: [
        { id: 'user', label: 'User profile' },
        ...(insiders ? [] : [{ id: 'workspace', label: 'Workspace (.vscode/mcp.json)', project: true }])
      ],
      placements: shapes.placements,
      afterWrite: 'VS Code starts the server from the MCP view (or the Start link above the entry in mcp.json).',
      placementNotes: {
        bridge: 'Keychain bridge: no prompt, nothing in the file, nothing to re-enter after a rotation',
        input: 'Ask once: VS Code asks for the key and keeps it encrypted'
      }
    })),
  async detect(ctx) {
    return Promise.all(
      [false, true].map(async (insiders) => {
        const dir = vscodeUserDir(ctx, insiders)
        return {
          client: insiders ? ('vscode-insiders' as const) : ('vscode' as const),
          label: insiders ? 'VS Code Insiders' : 'VS Code',
          installed: await exists(dir),
          evidence: dir
        }
      })
    )
  },
  locations(ctx, { projects, profiles }) {
    const j = pathsOf(ctx.platform)
    const user = (insiders: boolean) => ({
      client: insiders ? ('vscode-insiders' as const) : ('vscode' as const),
      scope: 'user',
      label: `VS Code${insiders ? ' Insiders' : ''} (user)`,
      file: j.join(vscodeUserDir(ctx, insiders), 'mcp.json'),
      container: ['servers']
    })
    return [
      user(false),
      user(true),
      ...profiles
        .filter((profile) => isProfileId(profile.id))
        .map((profile) => ({
          ...user(profile.insiders),
          scope: `profile:${profile.id}`,
          label: `VS Code${profile.insiders ? ' Insiders' : ''} (profile ${profile.id})`,
          file: j.join(vscodeUserDir(ctx, profile.insiders), 'profiles', profile.id, 'mcp.json')
        })),
      ...projects.map((project) => ({
        ...user(false),
        scope: 'workspace',
        label: `VS Code (workspace ${j.basename(project)})`,
        file: j.join(project, '.vscode', 'mcp.json'),
        projectPath: project
      }))
    ]
  },
  render: shapes.render
}
