import { maskKeyShapes } from './secret-shapes'

// Validation failures in words a person understands: which field, what is wrong with it, cut to a
// sane length (field names and keys can be anyone's text). Schemas that carry their own message
// keep it; the rest get these words in place of the schema library's defaults.

/** The parts of an issue these words use (the schema library's issue, without importing it). */
export interface IssueLike {
  code?: string
  path?: ReadonlyArray<PropertyKey>
  message?: string
  input?: unknown
  expected?: string
  origin?: string
  minimum?: number | bigint
  maximum?: number | bigint
  inclusive?: boolean
  format?: string
  keys?: string[]
  values?: unknown[]
}

const MAX_NAME = 40
const TYPES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date'
}

/**
 * A name someone else chose (a field, a key), safe to show: anything shaped like a key masked to
 * its prefix (a value pasted where a name goes), quoted, control characters escaped, cut.
 */
export function quoted(name: unknown): string {
  const text = maskKeyShapes(String(name))
  return JSON.stringify(text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}…` : text)
}

function field(path: ReadonlyArray<PropertyKey> | undefined): string {
  if (!path?.length) return ''
  const parts = path.slice(0, 6).map((p) => {
    const text = typeof p === 'number' ? `[${p}]` : String(p)
    return /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(text) || typeof p === 'number' ? text : quoted(text)
  })
  return parts.join('.').replace(/\.\[/g, '[')
}

/**
 * What is wrong, in words, without the field: "must be at least 1". Passed to a parse as its error
 * map, so only issues without a message of their own get these words.
 */
export function issueWords(issue: IssueLike): string {
  const n = (v: number | bigint | undefined) => String(v)
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is missing' : `should be ${TYPES[issue.expected ?? ''] ?? issue.expected}`
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${n(issue.minimum)} characters`
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${n(issue.minimum)} item(s)`
      return issue.inclusive === false ? `must be more than ${n(issue.minimum)}` : `must be at least ${n(issue.minimum)}`
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${n(issue.maximum)} characters`
      if (issue.origin === 'array' || issue.origin === 'set') return `can have at most ${n(issue.maximum)} item(s)`
      return issue.inclusive === false ? `must be less than ${n(issue.maximum)}` : `must be at most ${n(issue.maximum)}`
    case 'invalid_format':
      if (issue.format === 'url') return 'must be a web address such as https://example.com'
      if (issue.format === 'datetime') return 'must be a date and time such as 2027-01-31T00:00:00Z'
      if (issue.format === 'email') return 'must be an email address'
      return 'has characters or a shape that is not allowed'
    case 'invalid_value':
      return `must be one of: ${(issue.values ?? []).slice(0, 8).map(quoted).join(', ')}`
    case 'unrecognized_keys': {
      const keys = issue.keys ?? []
      return `has ${keys.length === 1 ? 'a field' : 'fields'} Keywarden does not know: ${keys.slice(0, 3).map(quoted).join(', ')}${keys.length > 3 ? ', …' : ''}`
    }
    default:
      return 'is not valid'
  }
}

/**
 * One issue as a sentence: `"days" must be at least 1.` for our own words, `keyApi.revoke: Put {id}
 * where the key id goes.` where the schema says it itself.
 */
export function describeIssue(issue: IssueLike | undefined): string {
  if (!issue) return 'The request was not valid.'
  const where = field(issue.path)
  const message = (issue.message ?? 'is not valid').slice(0, 300)
  if (/^[a-z]/.test(message)) {
    const sentence = `${where ? `"${where.replace(/"/g, '')}"` : 'The request'} ${message}`
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`
  }
  return where ? `${where}: ${message}` : message
}
