import type { RemoteKeyInfo } from './adapter'

// What the vault keeps of a service's record of a key, whatever the service sent.
const PREFIX_CHARS = 8
const NAME_CHARS = 200
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
// Leading or trailing space, or a control character.
// eslint-disable-next-line no-control-regex
const UNCLEAN = /^\s|\s$|[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex
const strip = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()

/**
 * The first 8 characters, as Lyceum shows them: a service that sends the whole key as its prefix
 * must not put it into vault.json.
 */
export function cleanPrefix(prefix: string): string {
  return prefix.length <= PREFIX_CHARS && !UNCLEAN.test(prefix) ? prefix : strip(prefix).slice(0, PREFIX_CHARS)
}

/** A name the vault takes: never empty (named from the prefix then), at most 200 characters. */
export function cleanName(name: string, prefix: string): string {
  if (name.length > 0 && name.length <= NAME_CHARS && !UNCLEAN.test(name)) return name
  return strip(name).slice(0, NAME_CHARS).trim() || `Unnamed key${prefix ? ` (${prefix}…)` : ''}`
}

/**
 * A remote record as the vault may hold it: prefix and name as above, dates that parse. Records
 * that are fine as sent — nearly all — are returned as they are.
 */
export function cleanRemoteKey(r: RemoteKeyInfo, at: Date): RemoteKeyInfo {
  const prefix = cleanPrefix(r.prefix)
  const name = cleanName(r.name, prefix)
  const datesOk =
    ISO_UTC.test(r.createdAt) &&
    (r.expiresAt === undefined || ISO_UTC.test(r.expiresAt)) &&
    (r.lastUsedAt === undefined || ISO_UTC.test(r.lastUsedAt))
  const scopesOk = r.scopes === undefined || (r.scopes.length <= 100 && r.scopes.every((x) => x.length <= 100))
  if (prefix === r.prefix && name === r.name && datesOk && scopesOk) return r
  const date = (d: string | undefined) =>
    !d ? undefined : ISO_UTC.test(d) ? d : Number.isNaN(Date.parse(d)) ? undefined : new Date(d).toISOString()
  const clean: RemoteKeyInfo = {
    ...r,
    name,
    prefix,
    createdAt: date(r.createdAt) ?? at.toISOString(),
    expiresAt: date(r.expiresAt),
    lastUsedAt: date(r.lastUsedAt)
  }
  if (r.scopes) clean.scopes = r.scopes.slice(0, 100).map((x) => x.slice(0, 100))
  return clean
}
