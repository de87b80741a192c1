import { systemPreferences } from 'electron'
import { noUserPresence, type UserPresence } from '../settings/user-presence'

/** Touch ID on a Mac that has it; elsewhere Electron offers no account check, so none is claimed. */
export function touchIdPresence(platform: NodeJS.Platform = process.platform): UserPresence {
  if (platform !== 'darwin') return noUserPresence
  return {
    available: async () =>
      systemPreferences.canPromptTouchID()
        ? { available: true, label: 'Touch ID' }
        : { available: false, label: 'Touch ID is not set up on this Mac' },
    confirm: (reason) =>
      systemPreferences.promptTouchID(reason).then(
        () => true,
        () => false
      )
  }
}
