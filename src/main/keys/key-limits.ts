import { KeywardenError } from '../../shared/errors'
import type { KeyMeta, Provider } from '../../shared/schemas'
import { providerCatalog } from '../providers/catalog'

export interface KeyLimitCheck {
  /** The service's documented cap on active keys; absent when it has none. */
  limit?: number
  /** Active keys of this provider the vault knows of, before adding any. */
  active: number
  /** near: at 45 of 50 or more after adding; full: adding would pass the cap. */
  level: 'ok' | 'near' | 'full'
  message?: string
}

const WARN_MARGIN = 5

/**
 * Whether `adding` more active keys fit the service's documented limit (Lynxo: 50 active keys per
 * account). Rotation asks this before it needs a new key while the old one is still active.
 */
export function checkActiveKeyLimit(keys: KeyMeta[], provider: Provider, adding = 1): KeyLimitCheck {
  const limit = provider.kind === 'custom' ? undefined : providerCatalog[provider.kind].maxActiveKeys
  const active = keys.filter((k) => k.providerId === provider.id && k.status === 'active').length
  if (!limit) return { active, level: 'ok' }
  const after = active + adding
  if (after > limit) {
    return {
      limit,
      active,
      level: 'full',
      message: `${provider.name} allows at most ${limit} active keys per account, and this vault already tracks ${active}. Revoke a key you no longer use in the ${provider.name} dashboard (and here), then try again.`
    }
  }
  if (after >= limit - WARN_MARGIN) {
    return {
      limit,
      active,
      level: 'near',
      message: `${provider.name} allows at most ${limit} active keys per account; this makes ${after} of ${limit}. Revoke unused keys before you reach the limit.`
    }
  }
  return { limit, active, level: 'ok' }
}

/** Throws the limit's explanation when `adding` more keys would pass it; returns a warning when near. */
export function requireRoomForKeys(keys: KeyMeta[], provider: Provider, adding = 1): string | undefined {
  const check = checkActiveKeyLimit(keys, provider, adding)
  if (check.level === 'full') throw new KeywardenError('conflict', check.message!)
  return check.message
}
