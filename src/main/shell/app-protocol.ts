import { protocol } from 'electron'
import { APP_SCHEME, serveAppFile } from './app-files'

/** Declares app:// as standard and secure; Electron allows this only before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }
  ])
}

/** Serves the built renderer folder on app:// (after the app is ready). */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppFile(rendererDir, request))
}
