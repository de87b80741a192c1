import { createTwoFilesPatch, formatPatch, parsePatch } from 'diff'
import { createScanner, type SyntaxKind } from 'jsonc-parser'
import { providerCatalog } from '../../providers/catalog'
import { maskSecret } from '../../vault/fingerprint'
import { maskArg, maskFreeText, SECRET_KEY_NAME } from './secret-masking'

// jsonc-parser's token kinds (a const enum, so its values are spelled out here).
const T = {
  OpenBrace: 1 as SyntaxKind.OpenBraceToken,
  CloseBrace: 2 as SyntaxKind.CloseBraceToken,
  OpenBracket: 3 as SyntaxKind.OpenBracketToken,
  CloseBracket: 4 as SyntaxKind.CloseBracketToken,
  Colon: 6 as SyntaxKind.ColonToken,
  String: 10 as SyntaxKind.StringLiteral,
  EOF: 17 as SyntaxKind.EOF
}
const SECRET_CONTAINERS = new Set(['headers', 'env', 'http_headers'])
const PREFIXES = [...new Set(Object.values(providerCatalog).flatMap((p) => (p.keyPrefix ? [p.keyPrefix] : [])))]
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
// A key with a known prefix anywhere (values, comments, URLs); masked keys ("lk_live_…") are too short to match again.
const KNOWN_KEY = new RegExp(`(?:${PREFIXES.map(escape).join('|')})[A-Za-z0-9_-]{8,}`, 'g')

/** A header or env value as it may be shown: its scheme and first characters. Placeholders stay. */
export function maskValue(value: string): string {
  if (value.includes('${')) return value
  const scheme = /^(Bearer|Basic|Token)\s+/i.exec(value)?.[0] ?? ''
  const rest = value.slice(scheme.length)
  return rest ? scheme + maskSecret(rest) : value
}

/**
 * Masks a few lines of a config file: every string under a "headers" or "env" object (whoever's
 * server it belongs to) or under a member named like a secret (`primaryApiKey`), secrets inside
 * other strings (`args` after `--token`/`--header`, `?api_key=` in URLs, `Authorization:` lines),
 * any key with a known prefix, and the values given.
 * `outer` are the keys enclosing the first line, so a slice starting inside "headers" is handled.
 */
export function maskLines(text: string, outer: string[], secrets: string[] = []): string {
  const stack = [...outer]
  const scanner = createScanner(text, true)
  let out = ''
  let at = 0
  let key: string | undefined
  // A string is a key when a colon follows it: decided at the next token.
  let pending: { offset: number; length: number; value: string } | undefined
  // The element before, in an `args` list: a secret flag makes the next one a secret.
  let previousArg: string | undefined
  const settle = (isKey: boolean) => {
    if (!pending) return
    if (isKey) key = pending.value
    else {
      const value = pending.value
      let masked: string
      if (stack.some((k) => SECRET_CONTAINERS.has(k.toLowerCase())) || (key !== undefined && SECRET_KEY_NAME.test(key)))
        masked = maskValue(value)
      else if (key === undefined && stack.at(-1) === 'args') masked = maskArg(value, previousArg)
      else masked = maskFreeText(value)
      if (key === undefined && stack.at(-1) === 'args') previousArg = value
      if (masked !== value) {
        out += text.slice(at, pending.offset) + JSON.stringify(masked)
        at = pending.offset + pending.length
      }
      key = undefined
    }
    pending = undefined
  }
  for (let token = scanner.scan(); token !== T.EOF; token = scanner.scan()) {
    settle(token === T.Colon)
    if (token === T.String) pending = { offset: scanner.getTokenOffset(), length: scanner.getTokenLength(), value: scanner.getTokenValue() }
    else if (token === T.OpenBrace || token === T.OpenBracket) {
      stack.push(key ?? '[]')
      key = undefined
      previousArg = undefined
    } else if (token === T.CloseBrace || token === T.CloseBracket) stack.pop()
  }
  settle(false)
  out += text.slice(at)
  out = out.replace(KNOWN_KEY, (m) => maskSecret(m))
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(maskSecret(s))
  return out
}

/**
 * A unified diff of a change confined to [from, before.length - suffix) of the old text: only
 * those lines and a few around them are compared and masked, so a huge file costs no more than a
 * small one, and the hunk line numbers are shifted back into place.
 */
export function maskedDiff(
  file: string,
  before: string,
  after: string,
  change: { from: number; suffix: number; keysAt: (offset: number) => string[] },
  secrets: string[],
  context = 3
): string {
  const { from, suffix } = change
  let start = before.lastIndexOf('\n', from - 1) + 1
  for (let n = 0; n < context && start > 0; n++) start = before.lastIndexOf('\n', start - 2) + 1
  let end = before.length - suffix
  for (let n = 0; n <= context && end < before.length; n++) {
    const nl = before.indexOf('\n', end)
    end = nl < 0 ? before.length : nl + 1
  }
  const endAfter = after.length - (before.length - end)
  let line = 0
  for (let i = before.indexOf('\n'); i >= 0 && i < start; i = before.indexOf('\n', i + 1)) line++
  const outer = start > 0 ? change.keysAt(start) : []
  const clean = (s: string) => maskLines(s, outer, secrets).replace(/\r\n/g, '\n')
  const patch = parsePatch(
    createTwoFilesPatch(file, file, clean(before.slice(start, end)), clean(after.slice(start, endAfter)), '', '', { context })
  )[0]!
  for (const hunk of patch.hunks) {
    hunk.oldStart += line
    hunk.newStart += line
  }
  return formatPatch(patch)
}
