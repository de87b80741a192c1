import { readFile } from 'node:fs/promises'
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { KeywardenError } from '../../../shared/errors'
import { lineColumn } from './json-path'

export const BOM = '\uFEFF'

export interface ConfigText {
  file: string
  /** The file's bytes as text, BOM included; null when the file does not exist. */
  text: string | null
  value: unknown
  /** Plain JSON (no comments, no trailing commas): the native parser can check edits. */
  strict: boolean
}

/** Reads a client config. A file that does not parse is an error naming its line and column. */
export async function readConfig(file: string, label: string): Promise<ConfigText> {
  const text = await readConfigText(file, label)
  if (text === null) return { file, text, value: {}, strict: true }
  return { file, text, ...parseConfigText(text, file, label) }
}

/** The file's text, or null when it does not exist. */
export async function readConfigText(file: string, label: string): Promise<string | null> {
  return (await readConfigBytes(file, label))?.toString('utf8') ?? null
}

/** The file's bytes (kept to tell, just before writing, whether the file changed), or null. */
export async function readConfigBytes(file: string, label: string): Promise<Buffer | null> {
  try {
    return await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw new KeywardenError('file-unwritable', `${label}: ${file} cannot be read (${code}). Check its permissions.`)
  }
}

export function parseConfig(text: string, file: string, label: string): unknown {
  return parseConfigText(text, file, label).value
}

export function parseConfigText(text: string, file: string, label: string): { value: unknown; strict: boolean } {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  if (body.trim() === '') return { value: {}, strict: true }
  // Most files are plain JSON: the native parser is far faster on a large ~/.claude.json. The
  // tolerant parser runs only for comments and trailing commas, and to locate an error.
  try {
    const value: unknown = JSON.parse(body)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { value, strict: true }
  } catch {
    // fall through
  }
  const errors: ParseError[] = []
  const value = parse(body, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length > 0) {
    const first = errors[0]!
    const { line, column } = lineColumn(body, first.offset)
    throw new KeywardenError(
      'file-unparseable',
      `${label}'s ${file} has a syntax error at line ${line}, column ${column} (${printParseErrorCode(first.error)}) — fix it or move it aside; Keywarden did not change it.`
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KeywardenError(
      'file-unparseable',
      `${label}'s ${file} does not hold a JSON object at its top level; Keywarden did not change it.`
    )
  }
  return { value, strict: false }
}

/** Parses a piece of a file already known to parse as a whole (an edited object, an entry). */
export function parseFragment(text: string, strict: boolean): unknown {
  if (strict) return JSON.parse(text)
  const errors: ParseError[] = []
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length) throw new Error(`fragment does not parse (${printParseErrorCode(errors[0]!.error)})`)
  return value
}
