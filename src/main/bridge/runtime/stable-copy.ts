import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runtimeFileName } from './launch-command'

/**
 * The runtime's per-user home outside the app, for an AppImage: the AppImage is mounted at a new
 * /tmp/.mount_* path on every launch and unmounted when the app quits, so a command pointing into
 * it would break at once. `$XDG_DATA_HOME/keywarden/runtime` (~/.local/share/keywarden/runtime).
 */
export function stableRuntimeDir(home: string, env: Record<string, string | undefined>): string {
  const data = env['XDG_DATA_HOME'] && env['XDG_DATA_HOME'].startsWith('/') ? env['XDG_DATA_HOME'] : join(home, '.local', 'share')
  return join(data, 'keywarden', 'runtime')
}

/**
 * Installs or refreshes the stable copy of the runtime and keytar.node from the app's resources:
 * only when the app's own files differ (another version, another size), each file written beside
 * its target and renamed over it, so a client running the old copy keeps running. Returns the
 * runtime's stable path, or undefined when the app ships no runtime.
 */
export async function refreshStableRuntime(options: {
  from: string
  to: string
  platform: NodeJS.Platform
  version: string
}): Promise<string | undefined> {
  const name = runtimeFileName(options.platform)
  const files = [name, 'keytar.node']
  const sizes = await Promise.all(
    files.map((f) =>
      stat(join(options.from, f)).then(
        (s) => s.size,
        () => undefined
      )
    )
  )
  if (sizes.some((s) => s === undefined)) return undefined
  const stamp = `${options.version}\n${sizes.join(' ')}\n`
  const target = join(options.to, name)
  const current = await readFile(join(options.to, 'stamp'), 'utf8').catch(() => '')
  const present = await stat(target).then(
    () => true,
    () => false
  )
  if (current === stamp && present) return target
  await mkdir(options.to, { recursive: true, mode: 0o700 })
  for (const file of files) {
    const temp = join(options.to, `.${file}.keywarden-tmp-${process.pid}`)
    try {
      await copyFile(join(options.from, file), temp)
      await rename(temp, join(options.to, file))
    } finally {
      await rm(temp, { force: true })
    }
  }
  await writeFile(join(options.to, 'stamp'), stamp, { mode: 0o600 })
  return target
}
