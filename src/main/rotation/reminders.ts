import type { MetadataStore } from '../vault/metadata-store'
import { dueKeys, reminderDue, reminderText } from './policy'

/**
 * Checks for keys due for rotation and, at most once a day, hands a reminder to `notify` (a
 * desktop notification in the app). Returns a stop function.
 */
export function startReminders(deps: {
  store: MetadataStore
  notify: (message: { title: string; body: string }) => void
  now?: () => Date
  intervalMs?: number
}): () => void {
  const now = deps.now ?? (() => new Date())
  const check = async () => {
    const data = deps.store.read()
    const at = now()
    // Providers the person made quiet still show their due keys in the list, without a notification.
    const quiet = new Set(data.settings.quietProviders ?? [])
    const due = dueKeys(
      data.keys.filter((k) => !quiet.has(k.providerId)),
      data.providers,
      data.settings.rotationDays,
      at
    )
    if (!reminderDue(due, data.settings.lastReminderAt, at)) return
    await deps.store.update((d) => {
      d.settings.lastReminderAt = at.toISOString()
    })
    deps.notify(reminderText(due))
  }
  void check().catch(() => undefined)
  const timer = setInterval(() => void check().catch(() => undefined), deps.intervalMs ?? 60 * 60 * 1000)
  timer.unref?.()
  return () => clearInterval(timer)
}
