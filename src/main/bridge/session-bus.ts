import { statSync } from 'node:fs'

/**
 * Linux: a keychain-backed command started with a bare environment (Codex runs its headers helper
 * with only HOME and PATH) still has to reach the desktop session's Secret Service. libsecret finds
 * the session bus through DBUS_SESSION_BUS_ADDRESS; without it, the bus of a desktop session sits
 * at `$XDG_RUNTIME_DIR/bus`, i.e. `/run/user/<uid>/bus`. Sets the variable before the keychain is
 * first touched; returns the address it chose, if any.
 */
export function findSessionBus(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  uid: number | undefined,
  isSocket: (path: string) => boolean = socketAt
): string | undefined {
  if (platform !== 'linux' || env['DBUS_SESSION_BUS_ADDRESS']) return undefined
  const candidates = [env['XDG_RUNTIME_DIR'], uid === undefined ? undefined : `/run/user/${uid}`]
    .filter((dir): dir is string => Boolean(dir && dir.startsWith('/')))
    .map((dir) => `${dir.replace(/\/+$/, '')}/bus`)
  const bus = candidates.find(isSocket)
  if (bus) env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${bus}`
  return bus
}

function socketAt(path: string): boolean {
  try {
    return statSync(path).isSocket()
  } catch {
    return false
  }
}
