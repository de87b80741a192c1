import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { applyEdits, modify, parse, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser'
import { KeywardenError } from '../../shared/errors'

const BOM = '\uFEFF'

export interface ConfigText {
  file: string
  /** The file's bytes as text, BOM included; null when the file does not exist. */
  text: string | null
  hash: string
  value: unknown
}

export const hashText = (text: string | null) => createHash('sha256').update(text ?? '\u0000missing').digest('hex')

/** Reads a client config. A file that does not parse is an error naming its line and column. */
export async function readConfig(file: string, label: string): Promise<ConfigText> {
  let text: string | null
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { file, text: null, hash: hashText(null), value: {} }
    throw new KeywardenError('file-unwritable', `${label}: ${file} cannot be read (${code}). Check its permissions.`)
  }
  return { file, text, hash: hashText(text), value: parseConfig(text, file, label) }
}

export function parseConfig(text: string, file: string, label: string): unknown {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  if (body.trim() === '') return {}
  // Most files are plain JSON: the native parser is far faster on a large ~/.claude.json. The
  // tolerant parser runs only for comments and trailing commas, and to locate an error.
  try {
    const value: unknown = JSON.parse(body)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
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
    throw new KeywardenError('file-unparseable', `${label}'s ${file} does not hold a JSON object at its top level; Keywarden did not change it.`)
  }
  return value
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/** The file's own indentation and line endings, so an edit looks as if made by hand. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const indented = /^([ \t]+)\S/m.exec(text)?.[1]
  if (indented?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol }
  return { insertSpaces: true, tabSize: indented ? indented.length : 2, eol }
}

/**
 * Sets (or, with `undefined`, removes) one value in a JSON/JSONC text with jsonc-parser edits:
 * every byte outside the edited member stays as it was, comments and BOM included.
 */
export function editText(text: string | null, path: (string | number)[], value: unknown, options: { append?: boolean } = {}): string {
  const original = text ?? ''
  const hasBom = original.startsWith(BOM)
  let body = hasBom ? original.slice(1) : original
  const created = body.trim() === ''
  if (created) body = '{}'
  const formattingOptions = created ? { insertSpaces: true, tabSize: 2, eol: '\n' } : detectFormatting(body)
  const edits = modify(body, path, value, { formattingOptions, isArrayInsertion: options.append })
  let next = applyEdits(body, edits)
  if (created) next = `${next}\n`
  return hasBom ? BOM + next : next
}
