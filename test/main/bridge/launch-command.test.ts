import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appLauncher, bindingCommand } from '../../../src/main/bridge/runtime/launch-command'
import { refreshStableRuntime, stableRuntimeDir } from '../../../src/main/bridge/runtime/stable-copy'
import { shellCommand } from '../../../src/main/bindings/helper-command'
import { tempFolder } from '../../support/temp-folder'

const has =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file)

describe('the command written into a config lasts', () => {
  it('AppImage: the stable per-user copy of the runtime, never the /tmp/.mount_* path; $APPIMAGE without it', () => {
    const place = {
      packaged: true,
      platform: 'linux' as const,
      execPath: '/tmp/.mount_KeywarXYZ/keywarden',
      resourcesPath: '/tmp/.mount_KeywarXYZ/resources',
      env: { APPIMAGE: '/home/ada/Apps/Keywarden-0.1.0.AppImage' },
      runtimeCopy: '/home/ada/.local/share/keywarden/runtime/keywarden-runtime'
    }
    const withCopy = appLauncher({ ...place, exists: has(place.runtimeCopy, '/tmp/.mount_KeywarXYZ/resources/runtime/keywarden-runtime') })
    expect(withCopy).toEqual({ command: place.runtimeCopy, args: [], origin: 'runtime' })
    const without = appLauncher({ ...place, exists: has('/tmp/.mount_KeywarXYZ/resources/runtime/keywarden-runtime') })
    expect(without).toEqual({ command: '/home/ada/Apps/Keywarden-0.1.0.AppImage', args: [], origin: 'app' })
    expect(JSON.stringify([withCopy, without])).not.toContain('.mount_')
  })

  it('deb, macOS and Windows: the runtime inside the installed app, which updates replace in place', () => {
    const deb = appLauncher({
      packaged: true,
      platform: 'linux',
      execPath: '/opt/Keywarden/keywarden',
      resourcesPath: '/opt/Keywarden/resources',
      env: {},
      exists: has('/opt/Keywarden/resources/runtime/keywarden-runtime')
    })
    expect(deb.command).toBe('/opt/Keywarden/resources/runtime/keywarden-runtime')
    const mac = appLauncher({
      packaged: true,
      platform: 'darwin',
      execPath: '/Applications/Keywarden.app/Contents/MacOS/Keywarden',
      resourcesPath: '/Applications/Keywarden.app/Contents/Resources',
      env: {},
      exists: has('/Applications/Keywarden.app/Contents/Resources/runtime/keywarden-runtime')
    })
    expect(mac.command).toBe('/Applications/Keywarden.app/Contents/Resources/runtime/keywarden-runtime')
    const win = appLauncher({
      packaged: true,
      platform: 'win32',
      execPath: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Keywarden\\Keywarden.exe',
      resourcesPath: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Keywarden\\resources',
      env: {},
      exists: has('C:\\Users\\ada\\AppData\\Local\\Programs\\Keywarden\\resources\\runtime\\keywarden-runtime.exe')
    })
    expect(win).toEqual({
      command: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Keywarden\\resources\\runtime\\keywarden-runtime.exe',
      args: [],
      origin: 'runtime'
    })
    // A packaged app without the runtime falls back to its own binary (macOS: inside the bundle).
    expect(
      appLauncher({ packaged: true, platform: 'darwin', execPath: mac.command, resourcesPath: '/x', env: {}, exists: has() }).origin
    ).toBe('app')
  })

  it('marks a development tree as such', () => {
    expect(
      appLauncher({
        packaged: false,
        platform: 'linux',
        execPath: '/usr/bin/node',
        entry: '/src/kw/out/cli/keywarden.cjs',
        env: {},
        exists: has()
      })
    ).toEqual({
      command: '/usr/bin/node',
      args: ['/src/kw/out/cli/keywarden.cjs'],
      origin: 'development'
    })
  })

  it('on Windows no %VAR% in a path is expanded by cmd.exe, and no quote or & escapes its argument', () => {
    const command = bindingCommand(
      { command: 'C:\\Program Files\\Keywarden\\resources\\runtime\\keywarden-runtime.exe', args: [], origin: 'runtime' },
      'mcp-headers',
      'b1',
      { dataDir: 'C:\\Users\\100%\\%APPDATA%\\Keywarden & co', keychainService: 'Keywarden (C:\\Users\\100%\\%APPDATA%\\Keywarden & co)' }
    )
    const line = shellCommand(command, 'win32')
    expect(line).toBe(
      '"C:\\Program Files\\Keywarden\\resources\\runtime\\keywarden-runtime.exe" mcp-headers b1 --data-dir "C:\\Users\\100%%cd:~,%\\%%cd:~,%APPDATA%%cd:~,%\\Keywarden & co" --keychain-service "Keywarden (C:\\Users\\100%%cd:~,%\\%%cd:~,%APPDATA%%cd:~,%\\Keywarden & co)"'
    )
    expect(() => shellCommand({ command: 'a', args: ['two\nlines'] }, 'win32')).toThrow(/line break/)
    expect(shellCommand({ command: '/opt/Keywarden/keywarden', args: ["it's"] }, 'linux')).toBe("/opt/Keywarden/keywarden 'it'\\''s'")
  })
})

describe('the AppImage runtime copy', () => {
  it('is installed once, refreshed when the app brings another one, and replaced by rename', async () => {
    const root = await tempFolder('kw-runtime-')
    const from = join(root, 'mount', 'resources', 'runtime')
    await mkdir(from, { recursive: true })
    await writeFile(join(from, 'keywarden-runtime'), 'runtime v1')
    await chmod(join(from, 'keywarden-runtime'), 0o755)
    await writeFile(join(from, 'keytar.node'), 'keytar')
    const to = stableRuntimeDir(join(root, 'home'), {})
    expect(to).toBe(join(root, 'home', '.local', 'share', 'keywarden', 'runtime'))
    const path = await refreshStableRuntime({ from, to, platform: 'linux', version: '0.1.0' })
    expect(path).toBe(join(to, 'keywarden-runtime'))
    expect(await readFile(path!, 'utf8')).toBe('runtime v1')
    expect((await stat(path!)).mode & 0o111).not.toBe(0)
    const inode = (await stat(path!)).ino
    await refreshStableRuntime({ from, to, platform: 'linux', version: '0.1.0' })
    expect((await stat(path!)).ino).toBe(inode)
    await writeFile(join(from, 'keywarden-runtime'), 'runtime v2, larger')
    await refreshStableRuntime({ from, to, platform: 'linux', version: '0.2.0' })
    expect(await readFile(path!, 'utf8')).toBe('runtime v2, larger')
    expect((await stat(path!)).ino).not.toBe(inode)
    expect(await refreshStableRuntime({ from: join(root, 'nothing'), to, platform: 'linux', version: '0.2.0' })).toBeUndefined()
  })
})
