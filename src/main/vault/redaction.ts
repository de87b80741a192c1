import { maskKeyShapes, maskSecret } from '../../shared/secret-shapes'
import { fingerprint } from './fingerprint'

// Text from services and errors may echo a credential back. Known values are masked by value first
// (they may have any shape); then anything shaped like a key or token is masked by pattern.
const CANDIDATE = /[A-Za-z0-9_\-+/=~.]{8,}/g
export interface RedactOptions {
  /** Values masked wherever they appear: credentials a request carried, a rotation's keys. */
  values?: Array<string | null | undefined>
  /** Fingerprints of every key value the vault holds: a token with one of these is masked. */
  fingerprints?: ReadonlySet<string>
}

/**
 * Masks every secret in a text, keeping at most a prefix: the values given and every key the vault
 * knows by its fingerprint (by value, whatever their shape), then `Bearer` values, JWTs, prefixed
 * keys and long key-like runs (by pattern). Ordinary words, URLs and file paths stay readable.
 */
export function redact(text: string, options: RedactOptions = {}): string {
  let out = text
  // A header value is masked as its bare key, so "Bearer " stays readable in front of the mask.
  const values = new Set((options.values ?? []).flatMap((v) => (v ? [v.replace(/^Bearer\s+/i, '').trim()] : [])))
  // Longest first, so a value that contains another is masked whole.
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value.length >= 8) out = out.split(value).join(maskKnown(value))
  }
  const fps = options.fingerprints
  if (fps && fps.size) {
    out = out.replace(CANDIDATE, (token) => {
      const trimmed = token.replace(/[.~=]+$/, '')
      if (fps.has(fingerprint(token))) return maskKnown(token)
      if (trimmed !== token && fps.has(fingerprint(trimmed))) return maskKnown(trimmed) + token.slice(trimmed.length)
      return token
    })
  }
  return byPattern(out)
}

/** A known value masked as its shape would be by pattern, or else to the prefix a service shows. */
function maskKnown(value: string): string {
  const masked = byPattern(value)
  return masked !== value ? masked : maskSecret(value)
}

const byPattern = maskKeyShapes

/** A text fit for a person: masked first, then cut to `max` characters (a key straddling the cut cannot leak half). */
export function safeDetail(text: string, max = 200, options: RedactOptions = {}): string {
  const masked = redact(text, options)
  return masked.length > max ? `${masked.slice(0, max)}…` : masked
}
