import { BrowserWindow, dialog } from 'electron'

/** The system's folder picker, over the window; undefined when the person cancels. */
export async function pickFolder(): Promise<string | undefined> {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  const options = { title: 'Choose the project folder', properties: ['openDirectory' as const, 'createDirectory' as const] }
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  return result.canceled ? undefined : result.filePaths[0]
}
