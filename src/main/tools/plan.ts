import { createTwoFilesPatch, parsePatch, formatPatch } from 'diff'
import { findNodeAtLocation, parseTree } from 'jsonc-parser'
import { KeywardenError } from '../../shared/errors'
import { maskSecret } from '../vault/fingerprint'
import type { BackupStore } from './backups'
import { renderEntry, type ServerSpec } from './entries'
import { editText, hashText, parseConfig, readConfig } from './jsonc-file'
import type { ConfigLocation } from './paths'
import { removeIfUnchanged, writeIfUnchanged } from './safe-write'

/** A change to one config file, shown to the person before anything is written. */
export interface Plan {
  location: ConfigLocation
  serverName: string
  before: string | null
  after: string
  beforeHash: string
  /** Unified diff with every key value masked to its prefix. */
  diff: string
  summary: string
  holdsSecret: boolean
}

function getAt(value: unknown, path: (string | number)[]): unknown {
  let v = value
  for (const part of path) {
    if (!v || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part as string]
  }
  return v
}

/** The servers object at a location, as found in the current file. */
export async function readContainer(location: ConfigLocation): Promise<{ text: string | null; hash: string; servers: Record<string, unknown> }> {
  const config = await readConfig(location.file, location.label)
  const servers = getAt(config.value, location.container)
  return { text: config.text, hash: config.hash, servers: servers && typeof servers === 'object' && !Array.isArray(servers) ? (servers as Record<string, unknown>) : {} }
}

function maskAll(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join(maskSecret(s))
  return out
}

function finish(location: ConfigLocation, serverName: string, before: string | null, after: string, summary: string, secrets: string[]): Plan {
  parseConfig(after, location.file, location.label)
  const diff = regionDiff(location.file, maskAll(before ?? '', secrets), maskAll(after, secrets))
  return { location, serverName, before, after, beforeHash: hashText(before), diff, summary, holdsSecret: secrets.some((s) => after.includes(s)) }
}

/** Plans adding a server; a name taken by an entry Keywarden does not manage is a conflict. */
export async function planAdd(location: ConfigLocation, spec: ServerSpec, options: { replaceExisting?: boolean } = {}): Promise<Plan> {
  const current = await readContainer(location)
  if (spec.name in current.servers && !options.replaceExisting) {
    throw new KeywardenError('conflict', `${location.label} already has a server named "${spec.name}". Choose another name, e.g. "${freeName(spec.name, Object.keys(current.servers))}".`)
  }
  let after = editText(current.text, [...location.container, spec.name], renderEntry(location.client, spec))
  if (spec.placement === 'input' && spec.input) after = addInput(after, spec.input)
  const secrets = [spec.secret ?? ''].filter(Boolean)
  return finish(location, spec.name, current.text, after, `Add "${spec.name}" to ${location.label}`, secrets)
}

/** Plans replacing the key in an existing inline entry's header, touching nothing else. */
export async function planSetHeader(location: ConfigLocation, serverName: string, header: string, value: string, oldValues: string[] = []): Promise<Plan> {
  const current = await readContainer(location)
  const entry = current.servers[serverName] as Record<string, unknown> | undefined
  if (!entry) throw new KeywardenError('not-found', `${location.label} no longer has a server named "${serverName}".`)
  const headers = (entry['headers'] ?? {}) as Record<string, unknown>
  const name = Object.keys(headers).find((h) => h.toLowerCase() === header.toLowerCase()) ?? header
  const after = editText(current.text, [...location.container, serverName, 'headers', name], value)
  const secrets = [value, ...oldValues, ...Object.values(headers).filter((v): v is string => typeof v === 'string')].map((v) => v.replace(/^Bearer\s+/i, ''))
  return finish(location, serverName, current.text, after, `Update the key of "${serverName}" in ${location.label}`, secrets)
}

export async function planRemove(location: ConfigLocation, serverName: string): Promise<Plan> {
  const current = await readContainer(location)
  if (!(serverName in current.servers)) throw new KeywardenError('not-found', `${location.label} has no server named "${serverName}".`)
  const after = editText(current.text, [...location.container, serverName], undefined)
  const values = readHeaderValues(current.servers[serverName])
  return finish(location, serverName, current.text, after, `Remove "${serverName}" from ${location.label}`, values)
}

function readHeaderValues(entry: unknown): string[] {
  const headers = (entry as { headers?: Record<string, unknown> } | undefined)?.headers ?? {}
  return Object.values(headers).filter((v): v is string => typeof v === 'string').map((v) => v.replace(/^Bearer\s+/i, ''))
}

function addInput(text: string, input: { id: string; description: string }): string {
  const body = text.replace(/^\uFEFF/, '')
  const inputs = findNodeAtLocation(parseTree(body, [], { allowTrailingComma: true })!, ['inputs'])
  const entry = { type: 'promptString', id: input.id, description: input.description, password: true }
  if (!inputs) return editText(text, ['inputs'], [entry])
  if ((inputs.children ?? []).some((c) => findNodeAtLocation(c, ['id'])?.value === input.id)) return text
  return editText(text, ['inputs', inputs.children?.length ?? 0], entry, { append: true })
}

export function freeName(base: string, taken: string[]): string {
  let n = 2
  while (taken.includes(`${base}-${n}`)) n++
  return `${base}-${n}`
}

/** Writes a plan if the file still matches its preview, keeping the old bytes for undo. */
export async function applyPlan(plan: Plan, backups: BackupStore): Promise<string> {
  await writeIfUnchanged({ file: plan.location.file, label: plan.location.label, expectedHash: plan.beforeHash, content: plan.after, ownerOnly: plan.holdsSecret })
  return backups.record(plan.location.file, plan.before, hashText(plan.after), plan.summary)
}

/** Puts a file back as it was before a change, unless someone changed it since. */
export async function undoChange(changeId: string, backups: BackupStore): Promise<void> {
  const change = await backups.get(changeId)
  if (!change) throw new KeywardenError('not-found', 'That change is no longer in the undo history.')
  if (change.undone) throw new KeywardenError('conflict', 'That change was already undone.')
  const label = 'The config file'
  if (!change.existed) await removeIfUnchanged(change.file, change.writtenHash)
  else {
    const previous = await backups.content(changeId)
    await writeIfUnchanged({ file: change.file, label, expectedHash: change.writtenHash, content: previous, ownerOnly: false })
  }
  await backups.markUndone(changeId)
}

/**
 * A unified diff of an edit that touched one region of a possibly huge file: the library diffs
 * only the changed lines plus context, and the hunk line numbers are shifted back into place.
 */
export function regionDiff(file: string, before: string, after: string, context = 3): string {
  const a = before.split('\n')
  const b = after.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  const from = Math.max(0, start - context)
  const slice = (lines: string[]) => lines.slice(from, lines.length - Math.max(0, end - context)).join('\n')
  const patch = parsePatch(createTwoFilesPatch(file, file, slice(a), slice(b), '', '', { context }))[0]!
  for (const hunk of patch.hunks) {
    hunk.oldStart += from
    hunk.newStart += from
  }
  return formatPatch(patch)
}
