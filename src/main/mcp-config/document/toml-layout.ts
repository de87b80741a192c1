import { parseTOML, ParseError, type AST } from 'toml-eslint-parser'
import { KeywardenError } from '../../../shared/errors'

/**
 * Where things sit in a TOML file: every table header and every key/value (with the full key path
 * it defines, however it is spelled — `[a.b]` then `c = 1`, `a.b.c = 1`, `a = { b = { c = 1 } }`),
 * with exact text ranges. Edits are spliced into those ranges; nothing is re-serialised.
 */
export interface TomlLayout {
  ast: AST.TOMLProgram
  tables: Array<{ path: string[]; node: AST.TOMLTable }>
  pairs: Array<{ path: string[]; node: AST.TOMLKeyValue; inline?: AST.TOMLInlineTable }>
}

const keyNames = (key: AST.TOMLKey) => key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value))

/** Parses TOML text; a file that does not parse is refused with its line and column. */
export function layoutOf(text: string, file: string, label: string): TomlLayout {
  let ast: AST.TOMLProgram
  try {
    // "latest": a file Codex reads may use TOML 1.1 (newlines in inline tables); Keywarden writes 1.0.
    ast = parseTOML(text, { tomlVersion: 'latest' })
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    throw new KeywardenError(
      'file-unparseable',
      `${label}'s ${file} has a TOML error at line ${error.lineNumber}, column ${error.column + 1} (${error.message}) — fix it or move it aside; Keywarden did not change it.`
    )
  }
  const tables: TomlLayout['tables'] = []
  const pairs: TomlLayout['pairs'] = []
  const visitPairs = (body: AST.TOMLKeyValue[], base: string[], inline?: AST.TOMLInlineTable) => {
    for (const node of body) {
      const path = [...base, ...keyNames(node.key)]
      pairs.push({ path, node, inline })
      if (node.value.type === 'TOMLInlineTable') visitPairs(node.value.body, path, node.value)
    }
  }
  const top = ast.body[0]
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') visitPairs([item], [])
    else if (item.kind === 'standard') {
      const path = item.resolvedKey.map(String)
      tables.push({ path, node: item })
      visitPairs(item.body, path)
    }
    // Arrays of tables ([[x]]) hold no MCP servers: their members are left alone and never edited.
  }
  return { ast, tables, pairs }
}

export const startsWith = (path: string[], prefix: string[]) => prefix.length <= path.length && prefix.every((k, i) => path[i] === k)
export const samePath = (a: string[], b: string[]) => a.length === b.length && startsWith(a, b)

/** Where the line holding `offset` starts. */
export const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1

/** Just past the end of the line holding `offset` (its line break included, when there is one). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset)
  return nl < 0 ? text.length : nl + 1
}

/** 1-based line and column of an offset, for messages. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - lineStart(text, offset) + 1 }
}
