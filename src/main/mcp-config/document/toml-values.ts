import { parse, TomlError } from 'smol-toml'
import { KeywardenError } from '../../../shared/errors'

/**
 * The values in a TOML text, as plain objects, arrays and scalars (dates stay Date objects). A text
 * that is not valid TOML is refused with its line and column, and Keywarden changes nothing.
 */
export function tomlValues(text: string, file: string, label: string): Record<string, unknown> {
  try {
    return plain(parse(text)) as Record<string, unknown>
  } catch (error) {
    if (!(error instanceof TomlError)) throw error
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')
    throw new KeywardenError(
      'file-unparseable',
      `${label}'s ${file} has a TOML error at line ${error.line}, column ${error.column} (${reason}) — fix it or move it aside; Keywarden did not change it.`
    )
  }
}

/** The parser's objects have no prototype: copied into ordinary ones so they compare as written. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  }
  return value
}
