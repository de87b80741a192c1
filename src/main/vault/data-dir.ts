import { join, resolve } from 'node:path'

/** The same folder Electron uses as `userData` for an app named Keywarden. */
export function defaultDataDir(home: string, platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  // A relative folder means the one under where Keywarden was started: made absolute here, because it
  // names the vault (and its keychain service) and is written into the helper and bridge entries,
  // which clients start from folders of their own.
  if (env['KEYWARDEN_DATA_DIR']) return resolve(env['KEYWARDEN_DATA_DIR'])
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Keywarden')
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Keywarden')
  return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Keywarden')
}
