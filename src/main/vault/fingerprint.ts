import { createHash } from 'node:crypto'

/** A stable, non-reversible identifier for a key value: first 16 hex chars of its SHA-256. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)
}

export { maskSecret } from '../../shared/secret-shapes'
