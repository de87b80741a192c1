import { maskSecret } from '../../vault/fingerprint'

/**
 * Masking of secrets that other tools keep in their own shapes, wherever a config's text is shown
 * (previews, scans): key names that say "secret", values after a secret-looking command-line flag,
 * `Name: value` headers inside strings, secret-looking query parameters and passwords in URLs.
 */

/** A member whose name says it holds a secret (`primaryApiKey`, `apiKey`, `token`, `client_secret` …). */
export const SECRET_KEY_NAME =
  /(api[_-]?key|apikey|token|secret|passw(or)?d|credential|authorization|auth[_-]?header|private[_-]?key|access[_-]?key|bearer|cookie|session[_-]?key)/i

const FLAG_WORDS =
  'token|api[_-]?key|apikey|key|secret|password|passwd|auth|authorization|bearer|access[_-]?token|client[_-]?secret|header|cookie'
/** A command-line flag whose next argument is a secret (or a header holding one). */
const SECRET_FLAG = new RegExp(`^(--?(?:[\\w-]*[_-])?(?:${FLAG_WORDS})|-H)$`, 'i')
const FLAG_WITH_VALUE = new RegExp(`(--?(?:[\\w-]*[_-])?(?:${FLAG_WORDS})[=\\s]+)(?!--)([^\\s"'=][^\\s"']*)`, 'gi')
const QUERY =
  /([?&;](?:[\w.-]*[_-])?(?:api[_-]?key|apikey|key|token|access[_-]?token|auth|secret|password|passwd|sig|signature|client[_-]?secret|code)=)([^&#\s"']+)/gi
const USERINFO = /(\b[a-z][\w+.-]*:\/\/[^\s/:@"']*:)([^\s@/"']+)@/gi
const HEADER =
  /\b(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|private-token|cookie|x-[\w-]*(?:key|token|secret))(\s*:\s*)((?:bearer|basic|token)\s+)?([^\s"',;]+)/gi

const mask = (value: string) => (value.includes('${') || value.startsWith('…') ? value : maskSecret(value))

/** Masks the secrets inside one free-text string: a URL, a command line, a header line. */
export function maskFreeText(text: string): string {
  return text
    .replace(USERINFO, (_m, head: string, password: string) => `${head}${mask(password)}@`)
    .replace(QUERY, (_m, head: string, value: string) => head + mask(value))
    .replace(
      HEADER,
      (_m, name: string, colon: string, scheme: string | undefined, value: string) => `${name}${colon}${scheme ?? ''}${mask(value)}`
    )
    .replace(FLAG_WITH_VALUE, (_m, flag: string, value: string) => flag + mask(value))
}

/** One element of an `args` list, given the element before it. */
export function maskArg(arg: string, previous: string | undefined): string {
  if (previous !== undefined && SECRET_FLAG.test(previous) && !arg.startsWith('-')) {
    // `--header "Authorization: Bearer …"` keeps the header's name; a bare token is masked whole.
    const masked = maskFreeText(arg)
    return masked !== arg ? masked : mask(arg)
  }
  return maskFreeText(arg)
}
