import { useEffect } from 'react'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { copyKey } from './key-actions'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
/** The modifier key's name on this platform. */
export const MOD = isMac ? '⌘' : 'Ctrl'

/** The shortcuts, as the palette lists them. */
export const SHORTCUTS: Array<{ keys: string[]; what: string }> = [
  { keys: [MOD, 'K'], what: 'Command palette' },
  { keys: [MOD, 'N'], what: 'New key' },
  { keys: [MOD, 'F'], what: 'Search keys' },
  { keys: [MOD, 'C'], what: 'Copy the selected key' },
  { keys: ['Delete'], what: 'Revoke or remove the selected key' },
  { keys: ['↑', '↓'], what: 'Move through the list' },
  { keys: ['Esc'], what: 'Close, or clear the selection' }
]

const typingIn = (t: EventTarget | null) =>
  t instanceof HTMLInputElement ||
  t instanceof HTMLTextAreaElement ||
  t instanceof HTMLSelectElement ||
  (t as HTMLElement | null)?.isContentEditable

/** The window's keyboard: works from anywhere except where it would take a key from a text field. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState()
      const mod = isMac ? e.metaKey : e.ctrlKey
      const modal = document.querySelector('[role="dialog"]')
      const key = e.key.toLowerCase()
      if (mod && key === 'k') {
        e.preventDefault()
        // Never over an open dialog: a command from the palette would replace it and lose what is in it.
        if (ui.palette || !modal) ui.setPalette(!ui.palette)
        return
      }
      if (modal) return
      if (mod && key === 'n') {
        e.preventDefault()
        ui.setPage('keys')
        ui.open({ kind: 'create' })
      } else if (mod && key === 'f') {
        e.preventDefault()
        ui.focusSearch()
      } else if ((key === '/' && !typingIn(e.target)) || (mod && key === 'f')) {
        e.preventDefault()
        ui.focusSearch()
      } else if (mod && key === 'c' && !typingIn(e.target) && !window.getSelection()?.toString() && ui.page === 'keys') {
        const k = useApp.getState().keys.find((x) => x.id === ui.selectedKeyId)
        if (!k) return
        e.preventDefault()
        void copyKey(k)
      } else if ((e.key === 'Delete' || (isMac && e.key === 'Backspace' && e.metaKey)) && !typingIn(e.target) && ui.page === 'keys') {
        const k = useApp.getState().keys.find((x) => x.id === ui.selectedKeyId)
        if (!k) return
        e.preventDefault()
        ui.open({ kind: k.status !== 'revoked' && k.remoteId ? 'revoke' : 'forget', keyId: k.id })
      } else if (e.key === 'Escape' && !typingIn(e.target) && ui.selectedKeyId) {
        ui.select(undefined)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
