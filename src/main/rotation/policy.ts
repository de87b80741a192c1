import type { DueKey, KeyMeta, Provider } from '../../shared/schemas'
import type { Vault } from '../vault/vault'

export type { DueKey }

const DAY = 24 * 60 * 60 * 1000

/**
 * Keys that should be rotated: older than the provider's rotation age (90 days by default, as the
 * VibeXP guide recommends) or expiring within two weeks.
 */
export function dueKeys(keys: KeyMeta[], providers: Provider[], defaultDays: number, at: Date, expiryWarningDays = 14): DueKey[] {
  const days = new Map(providers.map((p) => [p.id, p.rotationDays ?? defaultDays]))
  const due: DueKey[] = []
  for (const key of keys) {
    if (key.status === 'revoked' || !key.inVault) continue
    if (key.expiresAt) {
      const left = Math.floor((Date.parse(key.expiresAt) - at.getTime()) / DAY)
      if (left < 0 || key.status === 'expired') {
        due.push({ keyId: key.id, reason: 'expired', days: left, message: `"${key.name}" has expired.` })
        continue
      }
      if (left <= expiryWarningDays) {
        due.push({ keyId: key.id, reason: 'expiry', days: left, message: `"${key.name}" expires in ${left} day${left === 1 ? '' : 's'}.` })
        continue
      }
    }
    const age = Math.floor((at.getTime() - Date.parse(key.createdAt)) / DAY)
    const limit = days.get(key.providerId) ?? defaultDays
    if (age >= limit)
      due.push({ keyId: key.id, reason: 'age', days: age, message: `"${key.name}" is ${age} days old (rotate every ${limit}).` })
  }
  return due
}

/** The vault's keys due for rotation now, each by its provider's rotation age. */
export function dueKeysIn(vault: Vault, at: Date): DueKey[] {
  return dueKeys(vault.keys.list(), vault.providers.list(), vault.settings.get().rotationDays, at)
}

/** A reminder goes out at most once a day, and only when something is due. */
export function reminderDue(due: DueKey[], lastNotifiedAt: string | undefined, at: Date): boolean {
  if (due.length === 0) return false
  return !lastNotifiedAt || at.getTime() - Date.parse(lastNotifiedAt) >= DAY
}

export function reminderText(due: DueKey[]): { title: string; body: string } {
  const first = due[0]
  return {
    title: due.length === 1 ? 'A key is due for rotation' : `${due.length} keys are due for rotation`,
    body:
      due.length === 1 && first
        ? first.message
        : `${due
            .slice(0, 3)
            .map((d) => d.message)
            .join(' ')}${due.length > 3 ? ' …' : ''}`
  }
}
