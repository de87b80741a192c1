import { maskSecret } from '../vault/fingerprint'

// A run of 20+ token characters holding both a letter and a digit looks like a key (or a session
// token); ids and paths rarely do, and masking one of those by mistake costs nothing.
const KEY_LIKE = /[A-Za-z0-9_-]{20,}/g

/**
 * Masks anything key-like in a text before it reaches the journal, a log or the window: every
 * known value first, then any long token, each cut to the prefix a service shows after creation.
 */
export function redactKeys(text: string, known: Array<string | null | undefined> = []): string {
  let out = text
  for (const value of known) if (value && value.length >= 8) out = out.split(value).join(maskSecret(value))
  return out.replace(KEY_LIKE, (token) => (/[A-Za-z]/.test(token) && /[0-9]/.test(token) ? maskSecret(token) : token))
}
