import type { Placement, RotationState } from '../shared/schemas'

/** The names people see for the fields a request can be refused over. */
const FIELD_WORDS: Record<string, string> = {
  name: 'Name',
  'custom.name': 'Name',
  'custom.header.name': 'Header name',
  'custom.header.prefix': 'Header prefix',
  days: 'Rotation age',
  rotationDays: 'Rotation age',
  clipboardSeconds: 'Clipboard clear time',
  autoHideSeconds: 'Hide a revealed value after',
  serverName: 'Server name',
  projectPath: 'Project folder',
  baseUrl: 'API base URL',
  mcpUrl: 'MCP server URL',
  dashboardUrl: 'Dashboard URL',
  checkUrl: 'Check URL',
  keyPrefix: 'Key prefix',
  email: 'Email',
  orgId: 'Organization ID',
  value: 'Key',
  notes: 'Notes',
  tags: 'Tags',
  expiresAt: 'Expiry date'
}

/** Sentences main writes about one field, by how they start. */
const SENTENCE_FIELDS: Array<[RegExp, string]> = [[/^The project folder /, 'projectPath']]

const fieldOf = (path: string) =>
  path
    .split('.')
    .filter((p) => !/^\d+$/.test(p))
    .at(-1) ?? path

/** Turns a schema's wording ("Too small: expected number to be >=1") into a sentence. */
function plain(message: string): string {
  const small = /Too small: expected (number|string|array) to (?:be|have) >=?(\d+)/.exec(message)
  if (small)
    return small[1] === 'number'
      ? `must be at least ${small[2]}.`
      : small[2] === '1'
        ? 'cannot be empty.'
        : `needs at least ${small[2]} characters.`
  const big = /Too big: expected (number|string|array) to (?:be|have) <=?(\d+)/.exec(message)
  if (big)
    return big[1] === 'number'
      ? `must be at most ${big[2]}.`
      : `can have at most ${big[2]} ${big[1] === 'array' ? 'entries' : 'characters'}.`
  if (/^Invalid (url|URL)/.test(message)) return 'must be a full address, such as https://example.com/mcp.'
  if (/expected int/i.test(message)) return 'must be a whole number.'
  if (/^Invalid input/.test(message)) return 'is not filled in correctly.'
  return message
}

/**
 * What a failure says to a person, and the field it is about when it names one. Messages written
 * for people pass through unchanged; schema wording ("custom.name: Too small…") becomes words.
 */
export function describeFailure(message: string): { message: string; field?: string } {
  // Main's own words about a field: '"custom.name" must not be empty.'
  const q = /^"([A-Za-z][\w.]*)" (.+)$/s.exec(message)
  if (q) {
    const label = FIELD_WORDS[q[1]!] ?? FIELD_WORDS[fieldOf(q[1]!)]
    return { message: label ? `${label} ${q[2]}` : message, field: q[1] }
  }
  const about = SENTENCE_FIELDS.find(([start]) => start.test(message))
  if (about) return { message, field: about[1] }
  const m = /^([A-Za-z][\w.]*): (.+)$/s.exec(message)
  if (!m) return { message }
  const field = fieldOf(m[1]!)
  const label = FIELD_WORDS[field]
  const rest = plain(m[2]!)
  // No words for the field: the sentence alone (the raw path means nothing to a person).
  if (!label) return { message: rest === m[2] ? rest : `This ${rest}`, field }
  return { message: rest === m[2] ? rest : `${label} ${rest}`, field }
}

/** Words for a rotation's state, as the Rotations page and the wizard show it. */
export const ROTATION_STATE_WORDS: Record<RotationState, string> = {
  planned: 'Planned',
  creating: 'Creating the new key',
  'awaiting-new-key': 'Waiting for the new key',
  created: 'New key saved',
  'bindings-updated': 'Clients updated',
  verified: 'New key verified',
  'awaiting-person': 'Needs you',
  'awaiting-revoke': 'Waiting for you to revoke the old key',
  done: 'Finished',
  'rolling-back': 'Rolling back',
  'rolled-back': 'Rolled back'
}

/** Short words for where a key sits in a client's config. */
export const PLACEMENT_WORDS: Record<Placement | 'other', string> = {
  helper: 'keychain helper',
  bridge: 'keychain bridge',
  input: 'asked once, kept by the client',
  env: 'environment variable',
  inline: 'plain text in file',
  other: 'not a key Keywarden can see'
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
