/**
 * Masks whatever in a service's own words could be a credential, keeping only a prefix: `Bearer`
 * values, JWTs, prefixed keys (lk_…, lysk-…, vib_…) and any long run of key-like characters.
 * Masking comes before any cut, so a key straddling the cut cannot leak half of itself.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bBearer\s+\S+/gi, 'Bearer …')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g, 'eyJ…')
    .replace(/([A-Za-z]{2,6}[_.-])[A-Za-z0-9_-]{12,}/g, (_m, prefix: string) => `${prefix}…`)
    .replace(/[A-Za-z0-9_\-+/=.]{24,}/g, (m) => `${m.slice(0, 4)}…`)
}

/** A service's message fit for a person: masked first, then cut to `max` characters. */
export function safeDetail(text: string, max = 200): string {
  const masked = redactSecrets(text)
  return masked.length > max ? `${masked.slice(0, max)}…` : masked
}
