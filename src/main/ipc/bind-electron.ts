import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { EVENT_CHANNEL, channelOf, methods, type AppEvent } from '../../shared/contract'
import type { Dispatch } from './dispatch'

/**
 * Registers one IPC handler per contract method. Each call is accepted only from a window of ours
 * showing the app's own page; everything else gets a 'forbidden-sender' error.
 */
export function bindIpc(dispatch: Dispatch, isOurPage: (url: string) => boolean): () => void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame
    const win = BrowserWindow.fromWebContents(event.sender)
    return Boolean(frame && win && !win.isDestroyed() && frame.parent === null && isOurPage(frame.url))
  }
  for (const method of methods) {
    ipcMain.handle(channelOf(method), (event, input: unknown) => {
      if (!trusted(event)) {
        return { ok: false, error: { code: 'forbidden-sender', message: 'Request refused: it did not come from the Keywarden window.' } }
      }
      return dispatch(method, input)
    })
  }
  return () => methods.forEach((m) => ipcMain.removeHandler(channelOf(m)))
}

/** Sends an app event to every open window. */
export function broadcast(event: AppEvent): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event)
  }
}
