import { isDeepStrictEqual } from 'node:util'
import { KeywardenError } from '../../../shared/errors'
import { BOM } from './jsonc-file'
import { layoutOf, lineColumnOf, lineEnd, lineStart, samePath, startsWith, type TomlLayout } from './toml-layout'
import { tomlValues } from './toml-values'
import { tomlInline, tomlKeyPath, tomlTable } from './toml-text'

/**
 * A TOML config (Codex's config.toml) being changed in memory. Each change is spliced into the text
 * at the ranges the parser reports — a new server is a `[mcp_servers.<name>]` table placed after
 * its siblings, a key is replaced where it stands — so comments, order, inline tables and
 * multi-line lists everywhere else keep every byte. The whole text is read again after each
 * splice and the change is refused unless it reads back as intended. Values come from a fast
 * parser; the slower one that reports ranges runs only when a splice needs them.
 */
export interface TomlDoc {
  format: 'toml'
  file: string
  label: string
  bom: boolean
  body: string
  original: string | null
  originalBytes?: Buffer | null
  /** Unchanged prefix and suffix lengths of `body` against the original body. */
  from: number
  suffix: number
  expectations: Array<{ path: string[]; value: unknown }>
  eol: string
  layout?: { body: string; layout: TomlLayout }
  values?: { body: string; value: Record<string, unknown> }
}

export const isTomlDoc = (doc: object): doc is TomlDoc => (doc as { format?: string }).format === 'toml'

export function openTomlDoc(file: string, label: string, text: string | null): TomlDoc {
  const bom = text?.startsWith(BOM) ?? false
  const body = bom ? text!.slice(1) : (text ?? '')
  const doc: TomlDoc = {
    format: 'toml',
    file,
    label,
    bom,
    body,
    original: text,
    from: body.length,
    suffix: body.length,
    expectations: [],
    eol: /\r\n/.test(body) ? '\r\n' : '\n'
  }
  values(doc)
  return doc
}

function values(doc: TomlDoc): Record<string, unknown> {
  if (doc.values?.body !== doc.body) doc.values = { body: doc.body, value: tomlValues(doc.body, doc.file, doc.label) }
  return doc.values.value
}

function layout(doc: TomlDoc): TomlLayout {
  if (doc.layout?.body !== doc.body) doc.layout = { body: doc.body, layout: layoutOf(doc.body, doc.file, doc.label) }
  return doc.layout.layout
}

export const tomlText = (doc: TomlDoc) => (doc.bom ? BOM : '') + doc.body

export function tomlValueAt(doc: TomlDoc, path: string[]): unknown {
  let v: unknown = values(doc)
  for (const k of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined
    v = (v as Record<string, unknown>)[k]
  }
  return v
}

/** The keys of the table at a path ([] when absent); anything but a table there is refused. */
export function tomlKeysAt(doc: TomlDoc, path: string[]): string[] {
  const v = tomlValueAt(doc, path)
  if (v === undefined) return []
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) {
    const l = layout(doc)
    const at = l.pairs.find((p) => samePath(p.path, path))?.node.range[0] ?? 0
    const { line, column } = lineColumnOf(doc.body, at)
    throw new KeywardenError(
      'file-unparseable',
      `${doc.label}'s ${doc.file}: "${path.at(-1)}" at line ${line}, column ${column} should be a table of servers but is not. Fix it or move the file aside; Keywarden did not change it.`
    )
  }
  return Object.keys(v)
}

interface Splice {
  start: number
  end: number
  text: string
}

/** Sets (or, with undefined, removes) the value at a path. */
export function tomlSetAt(doc: TomlDoc, path: string[], value: unknown): void {
  const before = tomlValueAt(doc, path)
  if (isDeepStrictEqual(before, value)) return
  const l = layout(doc)
  const exact = l.pairs.find((p) => samePath(p.path, path))
  const replaceable = exact && !l.tables.some((t) => startsWith(t.path, path)) && isValue(value)
  if (replaceable) {
    // A value where it stands (a rotated key, an entry put back by undo): only its text changes.
    apply(doc, [{ start: exact.node.value.range[0], end: exact.node.value.range[1], text: tomlInline(value) }])
  } else {
    if (before !== undefined) apply(doc, removal(doc, l, path))
    if (value !== undefined) apply(doc, [insertion(doc, layout(doc), path, value)])
  }
  if (!isDeepStrictEqual(tomlValueAt(doc, path), value)) throw unsafe(doc)
  doc.expectations.push({ path, value })
}

const isValue = (v: unknown) => v !== undefined

function apply(doc: TomlDoc, splices: Splice[]): void {
  let body = doc.body
  for (const s of [...splices].sort((a, b) => b.start - a.start)) body = body.slice(0, s.start) + s.text + body.slice(s.end)
  const first = Math.min(...splices.map((s) => s.start))
  const last = Math.max(...splices.map((s) => s.end))
  doc.from = Math.min(doc.from, Math.max(0, first - 1))
  doc.suffix = Math.min(doc.suffix, Math.max(0, doc.body.length - last - 1))
  doc.body = body
  try {
    values(doc)
  } catch {
    throw unsafe(doc)
  }
}

/** Every piece of text that defines something at or under `path`. */
function removal(doc: TomlDoc, l: TomlLayout, path: string[]): Splice[] {
  const t = doc.body
  const splices: Splice[] = []
  const tables = l.tables.filter((x) => startsWith(x.path, path))
  for (const { node } of tables) splices.push(blockRange(t, node.range[0], node.range[1], doc.eol))
  const inside = (offset: number) => splices.some((s) => s.start <= offset && offset < s.end)
  const pairs = l.pairs.filter((p) => startsWith(p.path, path) && !inside(p.node.range[0]))
  for (const p of pairs) {
    if (pairs.some((q) => q !== p && q.node.range[0] <= p.node.range[0] && p.node.range[1] <= q.node.range[1])) continue
    if (!p.inline) {
      splices.push({ start: lineStart(t, p.node.range[0]), end: lineEnd(t, p.node.range[1]), text: '' })
      continue
    }
    const members = p.inline.body
    const i = members.indexOf(p.node)
    if (members.length === 1) splices.push({ start: p.inline.range[0], end: p.inline.range[1], text: '{}' })
    else if (i < members.length - 1) splices.push({ start: p.node.range[0], end: members[i + 1]!.range[0], text: '' })
    else splices.push({ start: members[i - 1]!.range[1], end: p.node.range[1], text: '' })
  }
  return splices
}

/**
 * A table's lines, with one blank line beside it: the one before it when there is one, else the
 * one after — the blank line an inserted table brings with it.
 */
function blockRange(t: string, start: number, end: number, eol: string): Splice {
  let s = lineStart(t, start)
  let e = lineEnd(t, end)
  if (t.slice(Math.max(0, s - 2 * eol.length), s) === eol + eol || (s === eol.length && t.startsWith(eol))) s -= eol.length
  else if (t.startsWith(eol, e)) e += eol.length
  return { start: s, end: e, text: '' }
}

function insertion(doc: TomlDoc, l: TomlLayout, path: string[], value: unknown): Splice {
  const t = doc.body
  const eol = doc.eol
  // Inside an inline table that holds the path: one more member there.
  const inline = l.pairs
    .filter((p) => p.node.value.type === 'TOMLInlineTable' && p.path.length < path.length && startsWith(path, p.path))
    .sort((a, b) => b.path.length - a.path.length)[0]
  if (inline && inline.node.value.type === 'TOMLInlineTable') {
    const table = inline.node.value
    const member = `${tomlKeyPath(path.slice(inline.path.length))} = ${tomlInline(value)}`
    const lastMember = table.body.at(-1)
    if (!lastMember) return { start: table.range[0], end: table.range[1], text: `{ ${member} }` }
    return { start: lastMember.range[1], end: lastMember.range[1], text: `, ${member}` }
  }
  const owner = l.tables
    .filter((x) => x.path.length < path.length && startsWith(path, x.path))
    .sort((a, b) => b.path.length - a.path.length)[0]
  const isTable = value !== null && typeof value === 'object' && !Array.isArray(value)
  if (!owner && isTable && path.length > 0) {
    // A new table, after the last table that shares its parent (the other servers), else at the end.
    const parent = path.slice(0, -1)
    const sibling = parent.length ? l.tables.filter((x) => startsWith(x.path, parent)).at(-1) : undefined
    const text = tomlTable(path, value as Record<string, unknown>, eol)
    const at = sibling ? lineEnd(t, sibling.node.range[1]) : t.length
    const lead = at > 0 && !t.slice(0, at).endsWith('\n') ? eol + eol : at > 0 ? eol : ''
    return { start: at, end: at, text: lead + text }
  }
  // A `key = value` line at the end of the table that holds the path (or of the top of the file).
  const base = owner?.path ?? []
  const line = `${tomlKeyPath(path.slice(base.length))} = ${tomlInline(value)}`
  const body = owner ? owner.node.body : l.ast.body[0].body.filter((x) => x.type === 'TOMLKeyValue')
  const lastPair = body.at(-1)
  const anchor = lastPair?.range[1] ?? owner?.node.key.range[1]
  if (anchor === undefined) return { start: 0, end: 0, text: line + eol }
  const at = lineEnd(t, anchor)
  const indent = lastPair ? /^[ \t]*/.exec(t.slice(lineStart(t, lastPair.range[0])))![0] : ''
  return { start: at, end: at, text: (t.slice(0, at).endsWith('\n') ? '' : eol) + indent + line + eol }
}

const unsafe = (doc: TomlDoc) =>
  new KeywardenError(
    'internal',
    `Keywarden could not make this change to ${doc.file} safely, so it wrote nothing. Please report this with the shape of the file (not its keys).`
  )

/** Whether a text (the file read back after writing) holds every value this change set. */
export function tomlHoldsExpectations(doc: TomlDoc, text: string): boolean {
  const body = text.startsWith(BOM) ? text.slice(1) : text
  if (body === doc.body) return true
  try {
    const read = openTomlDoc(doc.file, doc.label, body)
    return doc.expectations.every((e) => isDeepStrictEqual(tomlValueAt(read, e.path), e.value))
  } catch {
    return false
  }
}
