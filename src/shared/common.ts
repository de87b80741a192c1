import { z } from 'zod'
import { lazySchema } from './lazy-schema'

/** ISO-8601 timestamp as produced by `Date.prototype.toISOString`. */
export const isoDate = lazySchema(() => z.string().datetime({ offset: true }))

/** Plain http is only for services on this machine; anything else must be https. */
export function isSecureServiceUrl(value: string): boolean {
  try {
    const url = new URL(value)
    if (url.protocol === 'https:') return true
    return url.protocol === 'http:' && /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname)
  } catch {
    return false
  }
}
export const INSECURE_URL = 'Use an https:// address (plain http only for this machine: localhost or 127.0.0.1).'
/** An address Keywarden sends keys to: https, or http on loopback. */
export const serviceUrlSchema = lazySchema(() => z.string().url().max(2000).refine(isSecureServiceUrl, INSECURE_URL))
