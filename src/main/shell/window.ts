import { BrowserWindow, app, session } from 'electron'
import { join } from 'node:path'
import { buildCsp } from './csp'
import { openInBrowser } from './browser'
import { APP_PAGE_URL, isAppPage } from './app-files'
import { serveAppScheme } from './app-protocol'

const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined

/** The address the window's own page is served from; IPC from anything else is refused. */
export function appPageUrl(): string {
  return devServerUrl ?? APP_PAGE_URL
}

/** Deny-by-default rules for every web contents the app ever creates. */
export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  // The built page and its assets come from app://keywarden/, served from the renderer folder.
  if (!devServerUrl) serveAppScheme(join(import.meta.dirname, '../renderer'))
  if (devServerUrl) {
    const csp = buildCsp({ devServerUrl })
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
    })
  }
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      // Only the page itself (a hash change at most); never another page, even of the app's own origin.
      if (!isAppPage(url, appPageUrl())) event.preventDefault()
    })
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      // Links the person clicks open in their browser, through the one checked helper.
      void openInBrowser(url).catch(() => undefined)
      return { action: 'deny' }
    })
  })
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 780,
    minWidth: 820,
    minHeight: 520,
    show: false,
    title: 'Keywarden',
    backgroundColor: '#111418',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(appPageUrl())
  return win
}
