import * as json from './config-doc'
import { setAt as setJsonAt } from './member-edit'
import { setInput as setJsonInput } from './vscode-inputs'
import { holdsExpectations as jsonHoldsExpectations } from './read-back'
import { readConfig as readJsonConfig, readConfigBytes, readConfigText, type ConfigText } from './jsonc-file'
import { maskedDiff as maskedJsonDiff } from './masked-diff'
import { isTomlDoc, openTomlDoc, tomlHoldsExpectations, tomlKeysAt, tomlSetAt, tomlText, tomlValueAt, type TomlDoc } from './toml-doc'
import { maskedTomlDiff } from './toml-diff'

/**
 * One set of document operations for every config format: JSON/JSONC (Claude Code, Cursor, VS
 * Code and most others) and TOML (Codex's config.toml), chosen by the file's name. Planning,
 * applying and undoing a change (plan.ts) go through these and never see the difference.
 */
export type ConfigDoc = json.ConfigDoc | TomlDoc

export const isTomlFile = (file: string) => /\.toml$/i.test(file)

export { getAt } from './config-doc'
export { inputById, inputsInUse } from './vscode-inputs'
export { readConfigBytes, readConfigText, type ConfigText }

export async function readConfig(file: string, label: string): Promise<ConfigText> {
  if (!isTomlFile(file)) return readJsonConfig(file, label)
  const text = await readConfigText(file, label)
  if (text === null) return { file, text, value: {}, strict: true }
  return { file, text, value: tomlValueAt(openTomlDoc(file, label, text), []), strict: true }
}

export const openDoc = (file: string, label: string, text: string | null): ConfigDoc =>
  isTomlFile(file) ? openTomlDoc(file, label, text) : json.openDoc(file, label, text)

export const docText = (doc: ConfigDoc) => (isTomlDoc(doc) ? tomlText(doc) : json.docText(doc))
export const docChanged = (doc: ConfigDoc) => docText(doc) !== doc.original
export const valueAt = (doc: ConfigDoc, path: string[]) => (isTomlDoc(doc) ? tomlValueAt(doc, path) : json.valueAt(doc, path))
export const keysAt = (doc: ConfigDoc, path: string[]) => (isTomlDoc(doc) ? tomlKeysAt(doc, path) : json.keysAt(doc, path))
export const setAt = (doc: ConfigDoc, path: string[], value: unknown) =>
  isTomlDoc(doc) ? tomlSetAt(doc, path, value) : setJsonAt(doc, path, value)
export const holdsExpectations = (doc: ConfigDoc, text: string) =>
  isTomlDoc(doc) ? tomlHoldsExpectations(doc, text) : jsonHoldsExpectations(doc, text)
/** VS Code's `inputs` live in JSONC files only. */
export function setInput(doc: ConfigDoc, id: string, entry: Record<string, unknown> | undefined): void {
  if (isTomlDoc(doc)) throw new Error(`${doc.file} has no VS Code inputs.`)
  setJsonInput(doc, id, entry)
}
/** TOML diffs mask the whole (small) file, so they need no enclosing keys. */
export const keysAtOffset = (doc: ConfigDoc, original: string, offset: number) =>
  isTomlDoc(doc) ? [] : json.keysAtOffset(doc, original, offset)

export function maskedDiff(...args: Parameters<typeof maskedJsonDiff>): string {
  const [file, before, after, , secrets] = args
  return isTomlFile(file) ? maskedTomlDiff(file, before, after, secrets) : maskedJsonDiff(...args)
}
