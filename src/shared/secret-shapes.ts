// Text a person typed or a service sent may hold a key. These patterns mask anything shaped like
// one, keeping at most the prefix a service itself shows; the main process's redaction masks known
// values first and then applies these. Plain code, so every process can quote input safely.

const BEARER = /\bBearer\s+(?![^\s…]*…)\S+/gi
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g
// A short lowercase-or-uppercase word and a separator, then the key body: lk_…, lysk-…, vib_…
const PREFIXED = /([A-Za-z]{2,6}[_.-])([A-Za-z0-9_-]{12,})/g
// Long runs of token characters holding both a letter and a digit; ids and paths rarely do.
const TOKEN = /[A-Za-z0-9_\-+=]{20,}|[A-Za-z0-9+/=]{32,}/g
// Keywarden's own record ids (bindings, keys, changes) are UUIDs: names, not secrets. A key the
// vault holds is masked by value before these patterns run, whatever its shape.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Only a whole token: a key that merely contains a UUID (`sk-<uuid>`) is still masked.
const UUID_IN_TEXT = /(?<![A-Za-z0-9_\-+=/.])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9_\-+=])/gi
const hasLetterAndDigit = (s: string) => /[A-Za-z]/.test(s) && /[0-9]/.test(s)

/**
 * Shows only what the service itself shows after creation: the first 8 characters.
 * Anything that might end up in a message, a log or a diff goes through here.
 */
export function maskSecret(value: string, visible = 8): string {
  if (value.length <= visible) return '…'
  return `${value.slice(0, visible)}…`
}

/**
 * Masks everything in a text shaped like a key or token (`Bearer` values, JWTs, prefixed keys,
 * long key-like runs). Ordinary words, URLs, file paths and Keywarden's own ids stay readable.
 */
export function maskKeyShapes(text: string): string {
  const ids: string[] = []
  // Ids step aside while the patterns run, and come back unchanged.
  const held = text.replace(UUID_IN_TEXT, (id) => `\uE000${ids.push(id) - 1}\uE001`)
  const masked = held
    .replace(BEARER, 'Bearer …')
    .replace(JWT, 'eyJ…')
    .replace(PREFIXED, (whole, prefix: string, body: string) => {
      if (/[0-9]/.test(body)) return maskSecret(whole)
      // A letters-only body: a key only when it is one long word (file names have separators).
      return body.length >= 16 && !/[_-]/.test(body) ? `${prefix}…` : whole
    })
    .replace(TOKEN, (m) => (hasLetterAndDigit(m) && !m.includes('…') ? `${m.slice(0, 4)}…` : m))
  return ids.length ? masked.replace(/\uE000(\d+)\uE001/g, (_, i: string) => ids[Number(i)]!) : masked
}

/** True when a text is one of Keywarden's own record ids. */
export const isRecordId = (text: string) => UUID.test(text)
