import { app, BrowserWindow, clipboard, dialog, Notification } from 'electron'
import { homedir } from 'node:os'
import { createAppContext, type AppContext } from './app-context'
import { runCli, isCliInvocation } from './cli/run'
import { createDispatch } from './ipc/dispatch'
import { createHandlers } from './ipc/handlers'
import { bindIpc, broadcast } from './ipc/bind-electron'
import { appPageUrl, createMainWindow, hardenSessions } from './shell/window'
import { openInBrowser } from './shell/browser'
import { createKeytarStore, keychainService } from './vault/secret-store'
import { defaultDataDir } from './vault/data-dir'
import { startBackgroundSync } from './keys/background-sync'
import { startReminders } from './rotation/reminders'
import { touchIdPresence } from './shell/touch-id'
import { pickFolder } from './shell/folder-picker'

// The packaged binary doubles as the command line: `keywarden keys list` runs without a window.
const args = app.isPackaged ? process.argv.slice(1) : process.argv.slice(2)

// KEYWARDEN_DATA_DIR moves the whole vault (a second profile, a development copy); the command line
// honours the same variable, and such a folder gets keychain entries of its own.
if (process.env['KEYWARDEN_DATA_DIR']) app.setPath('userData', process.env['KEYWARDEN_DATA_DIR'])

if (isCliInvocation(args)) {
  app.dock?.hide()
  // No window and no GPU process for the command line.
  app.disableHardwareAcceleration()
  const run = async () => app.exit(await runCli(args, { dataDir: app.getPath('userData'), version: app.getVersion() }))
  // mcp-headers (Claude Code runs it on every connect) needs only Node and the keychain: it answers
  // without waiting for Electron's start-up.
  if (args[0] === 'mcp-headers') void run()
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

async function startWindowApp(): Promise<void> {
  const state: { context?: AppContext } = {}
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
  state.context = await createAppContext({
    dataDir: app.getPath('userData'),
    secrets: createKeytarStore({
      service: keychainService(app.getPath('userData'), defaultDataDir(homedir(), process.platform, process.env))
    }),
    clipboard: { readText: () => clipboard.readText(), writeText: (t) => clipboard.writeText(t), clear: () => clipboard.clear() },
    openUrl: openInBrowser,
    version: app.getVersion(),
    home: homedir(),
    platform: process.platform,
    env: process.env,
    sandbox: 'start',
    presence: touchIdPresence(),
    pickFolder,
    // Claude Code's headersHelper starts this same app with `mcp-headers <binding>`.
    cliArgv: app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()]
  })
  const ctx = state.context
  ctx.onEvent(broadcast)
  bindIpc(createDispatch(createHandlers(ctx)), (url) => url === appPageUrl() || url.startsWith(`${appPageUrl()}#`))
  const background = startBackgroundSync(ctx)
  const stopReminders = startReminders({
    store: ctx.store,
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return
      const note = new Notification({ title, body })
      // Clicking the reminder brings the window forward showing the keys that are due.
      note.on('click', () => {
        const win = BrowserWindow.getAllWindows()[0] ?? createMainWindow()
        if (win.isMinimized()) win.restore()
        win.focus()
        ctx.emit({ type: 'reminder.open' })
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
