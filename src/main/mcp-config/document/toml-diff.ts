import { createTwoFilesPatch, formatPatch, parsePatch } from 'diff'
import type { AST } from 'toml-eslint-parser'
import { maskLines, maskValue } from './masked-diff'
import { layoutOf } from './toml-layout'
import { tomlString } from './toml-text'

const SECRET_TABLES = new Set(['headers', 'http_headers', 'env'])

/**
 * A TOML text as it may be shown: every string under an `http_headers`, `headers` or `env` table
 * (whoever's server it is) cut to its scheme and first characters, then every known key prefix
 * and every value given. `env_http_headers` and `bearer_token_env_var` hold variable names and stay.
 */
export function maskToml(text: string, secrets: string[]): string {
  let masked = text
  try {
    const strings: AST.TOMLStringValue[] = []
    const collect = (node: AST.TOMLContentNode) => {
      if (node.type === 'TOMLValue' && node.kind === 'string') strings.push(node)
      else if (node.type === 'TOMLArray') node.elements.forEach(collect)
    }
    for (const pair of layoutOf(text, 'config', 'config').pairs) {
      if (pair.path.slice(0, -1).some((k) => SECRET_TABLES.has(k.toLowerCase()))) collect(pair.node.value)
    }
    for (const s of strings.sort((a, b) => b.range[0] - a.range[0])) {
      masked = masked.slice(0, s.range[0]) + tomlString(maskValue(s.value)) + masked.slice(s.range[1])
    }
  } catch {
    // A text that does not parse is masked by prefixes and given values only.
  }
  return maskLines(masked, [], secrets)
}

/** A unified diff of a TOML config change with every key value masked. */
export function maskedTomlDiff(file: string, before: string, after: string, secrets: string[], context = 3): string {
  const clean = (s: string) => maskToml(s, secrets).replace(/\r\n/g, '\n')
  return formatPatch(parsePatch(createTwoFilesPatch(file, file, clean(before), clean(after), '', '', { context }))[0]!)
}
