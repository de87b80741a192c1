import path from 'node:path'

/**
 * How a client starts Keywarden's helper and bridge, as written into its config:
 * - `runtime`: the small runtime shipped with the packaged app (a Node single-executable
 *   application with keytar.node beside it), at a path that survives updates;
 * - `app`: the app's own binary (packaged, but the runtime is missing);
 * - `development`: Node or Electron running the development tree, which the preview says.
 */
export interface Launcher {
  command: string
  /** Arguments that come before the subcommand (the script, in development). */
  args: string[]
  origin: 'runtime' | 'app' | 'development'
}

/** What a packaged or development app knows about itself when it works out its launcher. */
export interface AppPlace {
  packaged: boolean
  platform: NodeJS.Platform
  /** The running binary (Electron's, or node's in development). */
  execPath: string
  /** Electron's resources folder (packaged). */
  resourcesPath?: string
  /** The development tree's entry the command line starts from (out/cli/keywarden.cjs or the app folder). */
  entry?: string
  env: Record<string, string | undefined>
  /** The runtime's stable per-user copy, when the app installed one (AppImage). */
  runtimeCopy?: string
  exists: (file: string) => boolean
}

export const RUNTIME_NAME = 'keywarden-runtime'
export const runtimeFileName = (platform: NodeJS.Platform) => (platform === 'win32' ? `${RUNTIME_NAME}.exe` : RUNTIME_NAME)

/**
 * The command that keeps working after the app is updated or moved:
 * - Linux AppImage: the AppImage is mounted at a new /tmp/.mount_* path on every launch, so the
 *   runtime is copied to a stable per-user place at start (`runtimeCopy`); without it, `$APPIMAGE`
 *   (the AppImage file itself), never the mount.
 * - Linux deb, macOS (inside the .app bundle), Windows (the installed folder): the runtime in the
 *   app's resources, which updates replace in place.
 * - Development: the running Node or Electron with the tree's entry, marked as such.
 */
export function appLauncher(place: AppPlace): Launcher {
  if (!place.packaged) return { command: place.execPath, args: place.entry ? [place.entry] : [], origin: 'development' }
  const appImage = place.platform === 'linux' ? place.env['APPIMAGE'] : undefined
  if (appImage) {
    if (place.runtimeCopy && place.exists(place.runtimeCopy)) return { command: place.runtimeCopy, args: [], origin: 'runtime' }
    return { command: appImage, args: [], origin: 'app' }
  }
  if (place.resourcesPath) {
    const join = place.platform === 'win32' ? path.win32.join : path.posix.join
    const runtime = join(place.resourcesPath, 'runtime', runtimeFileName(place.platform))
    if (place.exists(runtime)) return { command: runtime, args: [], origin: 'runtime' }
  }
  return { command: place.execPath, args: [], origin: 'app' }
}

/** The launcher behind a plain argv (`[node, out/cli/keywarden.cjs]`, or the app binary alone). */
export function launcherFromArgv(argv: string[]): Launcher {
  const [command = process.execPath, ...args] = argv
  return { command, args, origin: args.length > 0 ? 'development' : 'app' }
}

/** The program and arguments for one binding's helper or bridge. */
export function bindingCommand(
  launcher: Launcher,
  subcommand: 'mcp-headers' | 'mcp-bridge',
  bindingId: string,
  vault: { dataDir?: string; keychainService?: string } = {}
): { command: string; args: string[] } {
  return {
    command: launcher.command,
    args: [
      ...launcher.args,
      subcommand,
      bindingId,
      ...(vault.dataDir ? ['--data-dir', vault.dataDir] : []),
      ...(vault.keychainService ? ['--keychain-service', vault.keychainService] : [])
    ]
  }
}

/** The note a preview carries when the entry would run Keywarden from a development tree. */
export function developmentNote(launcher: Launcher): string | undefined {
  if (launcher.origin !== 'development') return undefined
  return `This entry runs Keywarden from its development tree (${[launcher.command, ...launcher.args].join(' ')}): it stops working if that folder moves or is deleted. Entries written by the installed app run its own runtime instead.`
}
