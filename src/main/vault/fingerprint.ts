import { createHash } from 'node:crypto'

/** A stable, non-reversible identifier for a key value: first 16 hex chars of its SHA-256. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)
}

/**
 * Shows only what the service itself shows after creation: the first 8 characters.
 * Anything that might end up in a message, a log or a diff goes through here.
 */
export function maskSecret(value: string, visible = 8): string {
  if (value.length <= visible) return '…'
  return `${value.slice(0, visible)}…`
}
