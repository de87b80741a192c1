import { shell } from 'electron'
import { openExternal } from './open-external'

/** Opens a link in the person's browser: the only call of `shell.openExternal`, behind the https check. */
export const openInBrowser = (url: string): Promise<void> => openExternal(url, (u) => shell.openExternal(u))
