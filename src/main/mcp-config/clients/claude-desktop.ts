import { existsSync } from 'node:fs'
import type { PathContext } from '../paths'
import { bridgeCommandOf, entryShapes, folderPresence, pathsOf, type ClientModule } from './client'

/** The Microsoft Store (MSIX) build keeps its roaming data inside its package folder. */
const STORE_PACKAGE = 'Claude_pzs8sxrjxfjjc'

/** Claude Desktop's folder: Application Support, %APPDATA% (or the Store package's copy), ~/.config. */
function claudeDir(ctx: PathContext): string {
  const j = pathsOf(ctx.platform).join
  if (ctx.platform === 'darwin') return j(ctx.home, 'Library', 'Application Support', 'Claude')
  if (ctx.platform === 'win32') {
    const local = ctx.env.LOCALAPPDATA || j(ctx.home, 'AppData', 'Local')
    const store = j(local, 'Packages', STORE_PACKAGE)
    if ((ctx.exists ?? existsSync)(store)) return j(store, 'LocalCache', 'Roaming', 'Claude')
    return j(ctx.env.APPDATA || j(ctx.home, 'AppData', 'Roaming'), 'Claude')
  }
  return j(ctx.env.XDG_CONFIG_HOME || j(ctx.home, '.config'), 'Claude')
}

// The entry for each placement, best first: the placements offered are the ones rendered here.
const shapes = entryShapes(
  'Claude Desktop',
  // Local servers only: a url entry is skipped (and has been reported to wipe the file).
  { bridge: (spec) => bridgeCommandOf(spec) },
  'Claude Desktop runs local servers only: it is reached through the keychain bridge, never a url entry.'
)

/**
 * Claude Desktop: `claude_desktop_config.json`, servers under `mcpServers`. It starts local
 * (stdio) servers only: a `url` entry is skipped as invalid and has been reported to cost people
 * the whole file, so the only entry Keywarden writes here is the keychain bridge, by absolute
 * path (an app started from the dock or Start menu has a minimal PATH).
 */
export const claudeDesktop: ClientModule = {
  clients: ['claude-desktop'],
  rank: 50,
  describe: () => [
    {
      client: 'claude-desktop',
      label: 'Claude Desktop',
      scopes: [{ id: 'user', label: 'User (claude_desktop_config.json)' }],
      placements: shapes.placements,
      afterWrite:
        'Quit Claude Desktop completely (from the menu bar or system tray, not just its window) and open it again; it reads its servers only at start.',
      placementNotes: {
        bridge:
          'Keychain bridge: Claude Desktop runs local servers only; the key stays in your keychain, out of the file, argv and environment'
      }
    }
  ],
  async detect(ctx) {
    return folderPresence('claude-desktop', 'Claude Desktop', claudeDir(ctx), ['claude_desktop_config.json'])
  },
  locations(ctx) {
    return [
      {
        client: 'claude-desktop',
        scope: 'user',
        label: 'Claude Desktop',
        file: pathsOf(ctx.platform).join(claudeDir(ctx), 'claude_desktop_config.json'),
        container: ['mcpServers']
      }
    ]
  },
  render: shapes.render
}
