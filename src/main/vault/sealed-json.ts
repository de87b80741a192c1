import { createHash } from 'node:crypto'

// Keywarden's own JSON files (vault.json, the rotation journal) are written only with content their
// schema accepted, and sealed: the last member is the digest of the text before it and of the
// schema revision it was checked against. Reading such a file back (every command of the command
// line) need not check every record again. A file edited by hand, written by another program or by
// a version with another schema has no matching seal, and its reader checks it field by field.
const SEALED = /,\n {2}"sealed": "([0-9a-f]{64})"\n\}\n?$/

/** The seal's digest of a body: the file's text up to the seal, closed as JSON.stringify closed it. */
const digest = (revision: string, body: string | Buffer) => createHash('sha256').update(revision).update(body).update('\n}').digest('hex')

/** The value as pretty JSON with its seal as the last member; `value` must be a plain object. */
export function sealJson(value: object, revision: string): string {
  const body = JSON.stringify(value, null, 2)
  return `${body.slice(0, -1).trimEnd()},\n  "sealed": "${digest(revision, body.slice(0, -2))}"\n}\n`
}

/**
 * The content of a file sealed under `revision`, without its seal; undefined when the file carries
 * no seal or one that does not match (then the caller checks it with its schema). `bytes`, when the
 * caller has them, are the same content as read from disk, and let the seal be checked on them
 * without encoding megabytes of text again.
 */
export function unsealJson(text: string, revision: string, bytes?: Buffer): object | undefined {
  // The seal is the file's last line but one: look only there, not through megabytes of records.
  // It is ASCII, so positions in the bytes and in the text agree within it.
  const content = bytes ?? text
  const tail = content.length - Math.min(content.length, 120)
  const sealed = SEALED.exec(typeof content === 'string' ? content.slice(tail) : content.toString('latin1', tail))
  if (!sealed) return undefined
  const end = tail + sealed.index
  if (digest(revision, typeof content === 'string' ? content.slice(0, end) : content.subarray(0, end)) !== sealed[1]) return undefined
  try {
    // The sealed text is the body and its seal; what was checked and sealed is the body.
    const { sealed: _seal, ...data } = JSON.parse(text) as { sealed: string }
    return data
  } catch {
    // Not what was sealed after all: the caller checks it in full.
    return undefined
  }
}
