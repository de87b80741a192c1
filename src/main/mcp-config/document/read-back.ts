import { isDeepStrictEqual } from 'node:util'
import { BOM, parseConfigText } from './jsonc-file'
import { getAt, type ConfigDoc } from './config-doc'
import { inputById } from './vscode-inputs'

/**
 * Checks a text (the file read back after writing) holds every expected value. The same bytes as
 * written need no second look: each edit was checked when it was made.
 */
export function holdsExpectations(doc: ConfigDoc, text: string): boolean {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  if (body === doc.body) return true
  try {
    const value = parseConfigText(body, doc.file, doc.label).value
    return doc.expectations.every((e) =>
      isDeepStrictEqual(e.inputId !== undefined ? inputById(getAt(value, ['inputs']), e.inputId) : getAt(value, e.path), e.value)
    )
  } catch {
    return false
  }
}
