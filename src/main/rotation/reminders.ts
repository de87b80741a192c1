import type { Vault } from '../vault/vault'
import { dueKeysIn, reminderDue, reminderText } from './policy'

/**
 * Checks for keys due for rotation and, at most once a day, hands a reminder to `notify` (a
 * desktop notification in the app). Returns a stop function.
 */
export function startReminders(deps: {
  vault: Vault
  notify: (message: { title: string; body: string }) => void
  now?: () => Date
  intervalMs?: number
}): () => void {
  const now = deps.now ?? (() => new Date())
  const check = async () => {
    const at = now()
    // Providers the person made quiet still show their due keys in the list, without a notification.
    const quiet = new Set(deps.vault.settings.get().quietProviders ?? [])
    const due = dueKeysIn(deps.vault, at).filter((d) => !quiet.has(deps.vault.keys.get(d.keyId).providerId))
    if (!reminderDue(due, deps.vault.settings.get().lastReminderAt, at)) return
    await deps.vault.settings.recordReminder(at)
    deps.notify(reminderText(due))
  }
  void check().catch(() => undefined)
  const timer = setInterval(() => void check().catch(() => undefined), deps.intervalMs ?? 60 * 60 * 1000)
  timer.unref?.()
  return () => clearInterval(timer)
}
