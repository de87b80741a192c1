import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { EVENT_CHANNEL, channelOf, methods, type AppEvent } from '../../shared/contract'
import type { Dispatch } from './dispatch'
import { FORBIDDEN_SENDER, isTrustedSender } from './sender-check'

/**
 * Registers one IPC handler per contract method. Each call is accepted only from a window of ours
 * showing the app's own page; everything else gets a 'forbidden-sender' error.
 */
export function bindIpc(dispatch: Dispatch, isOurPage: (url: string) => boolean): () => void {
  const trusted = (event: IpcMainInvokeEvent) =>
    isTrustedSender({ frame: event.senderFrame ?? null, window: BrowserWindow.fromWebContents(event.sender) }, isOurPage)
  for (const method of methods) {
    ipcMain.handle(channelOf(method), (event, input: unknown) => {
      if (!trusted(event)) return FORBIDDEN_SENDER
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
