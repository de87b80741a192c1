import { app, BrowserWindow, clipboard, dialog, Notification } from 'electron'
import { homedir } from 'node:os'
import { openApp, type App } from './app/open-app'
import { runCli, isCliInvocation } from './cli/run'
import { bindIpc, broadcast } from './ipc/bind-electron'
import { appPageUrl, createMainWindow, hardenSessions } from './shell/window'
import { registerAppScheme } from './shell/app-protocol'
import { isAppPage } from './shell/app-files'
import { openInBrowser } from './shell/browser'
import { openVaultKeychain } from './vault/secret-store'
import { startBackgroundSync } from './keys/background-sync'
import { startReminders } from './rotation/reminders'
import { appLauncher, type Launcher } from './bridge/runtime/launch-command'
import { refreshStableRuntime, stableRuntimeDir } from './bridge/runtime/stable-copy'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { touchIdPresence } from './shell/touch-id'
import { pickFolder } from './shell/folder-picker'

// The packaged binary doubles as the command line: `keywarden keys list` runs without a window.
const args = app.isPackaged ? process.argv.slice(1) : process.argv.slice(2)
/** The AppImage's stable runtime copy, once installed at start. */
let runtimeCopy: string | undefined

// KEYWARDEN_DATA_DIR moves the whole vault (a second profile, a development copy); the command line
// honours the same variable, and such a folder gets keychain entries of its own.
if (process.env['KEYWARDEN_DATA_DIR']) app.setPath('userData', process.env['KEYWARDEN_DATA_DIR'])

// app:// must be declared privileged before the app is ready (the window is served from it).
registerAppScheme()

if (isCliInvocation(args)) {
  app.dock?.hide()
  // No window and no GPU process for the command line.
  app.disableHardwareAcceleration()
  const run = async () =>
    app.exit(await runCli(args, { dataDir: app.getPath('userData'), version: app.getVersion(), launcher: launcher() }))
  // mcp-headers and mcp-bridge need only Node and the keychain: they answer without waiting for
  // Electron's start-up. (Entries the app writes start its small runtime instead; an older entry,
  // or a build without the runtime, still reaches them here.)
  if (args[0] === 'mcp-headers' || args[0] === 'mcp-bridge') void run()
  else void app.whenReady().then(run)
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  startWindowApp().catch((error: unknown) => {
    // Without a window nothing else could tell the person why the app closed.
    dialog.showErrorBox('Keywarden could not start', error instanceof Error ? error.message : String(error))
    app.exit(1)
  })
}

/** How clients start this app's helper and bridge (see bridge/runtime/launch-command.ts). */
function launcher(): Launcher {
  return appLauncher({
    packaged: app.isPackaged,
    platform: process.platform,
    execPath: process.execPath,
    resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
    entry: app.isPackaged ? undefined : app.getAppPath(),
    env: process.env,
    runtimeCopy: runtimeCopy ?? (process.env['APPIMAGE'] ? join(stableRuntimeDir(homedir(), process.env), 'keywarden-runtime') : undefined),
    exists: existsSync
  })
}

async function startWindowApp(): Promise<void> {
  const state: { context?: App } = {}
  let stopSync = () => {}
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', () => {
    stopSync()
    void state.context?.close()
  })

  await app.whenReady()
  hardenSessions()
  // An AppImage runs from a mount that moves at every launch: the runtime clients start is copied
  // to a per-user place first, refreshed when this version brings another one.
  if (app.isPackaged && process.platform === 'linux' && process.env['APPIMAGE'])
    runtimeCopy = await refreshStableRuntime({
      from: join(process.resourcesPath, 'runtime'),
      to: stableRuntimeDir(homedir(), process.env),
      platform: process.platform,
      version: app.getVersion()
    }).catch(() => undefined)
  state.context = await openApp({
    dataDir: app.getPath('userData'),
    secrets: openVaultKeychain(app.getPath('userData'), { home: homedir(), platform: process.platform, env: process.env }),
    clipboard: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t), clear: () => clipboard.clear() },
    openUrl: openInBrowser,
    version: app.getVersion(),
    home: homedir(),
    platform: process.platform,
    env: process.env,
    sandbox: 'start',
    presence: touchIdPresence(),
    pickFolder,
    // What clients start for the helper and the bridge: a command that survives updates and moves.
    launcher: launcher()
  })
  const ctx = state.context
  ctx.onEvent(broadcast)
  bindIpc(ctx.dispatch, (url) => isAppPage(url, appPageUrl()))
  const background = startBackgroundSync(ctx.services)
  const stopReminders = startReminders({
    vault: ctx.services.vault,
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return
      const note = new Notification({ title, body })
      // Clicking the reminder brings the window forward showing the keys that are due.
      note.on('click', () => {
        const win = BrowserWindow.getAllWindows()[0] ?? createMainWindow()
        if (win.isMinimized()) win.restore()
        win.focus()
        broadcast({ type: 'reminder.open' })
      })
      note.show()
    }
  })
  stopSync = () => {
    background.stop()
    stopReminders()
  }

  const open = () => {
    const win = createMainWindow()
    win.on('focus', background.poke)
  }
  open()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open()
  })
}
