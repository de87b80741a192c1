import { createHash } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { KeywardenError } from '../../shared/errors'
import type { BackupStore, UndoStep } from './files/backups'
import {
  docChanged,
  docText,
  getAt,
  holdsExpectations,
  inputById,
  inputsInUse,
  keysAt,
  keysAtOffset,
  openDoc,
  setAt,
  setInput,
  valueAt,
  type ConfigDoc
} from './document/formats'
import { entryHeaders, type ServerSpec } from './document/entries'
import { renderEntry } from './clients'
import { maskedDiff, readConfig, readConfigBytes, readConfigText } from './document/formats'
import { projectKey, type ConfigLocation } from './paths'
import { readText, removeIfUnchanged, writeIfUnchanged } from './files/safe-write'

/** A change to one config file, shown to the person before anything is written. */
export interface Plan {
  location: ConfigLocation
  serverName: string
  before: string | null
  after: string
  /** Unified diff with every key value masked to its prefix. */
  diff: string
  summary: string
  holdsSecret: boolean
  /** What undo reverses: each value changed, before and after. */
  steps: UndoStep[]
  doc: ConfigDoc
}

const containerPath = (location: ConfigLocation) => location.container.map(String)

/** The servers object at a location, as found in the current file. */
export async function readContainer(location: ConfigLocation): Promise<{ text: string | null; servers: Record<string, unknown> }> {
  const config = await readConfig(location.file, location.label)
  return { text: config.text, servers: serversIn(config.value, location) }
}

/** The servers object inside a parsed file; a value there that is not an object is refused. */
export function serversIn(value: unknown, location: ConfigLocation): Record<string, unknown> {
  let path = containerPath(location)
  const projects = location.looseProjectKey && location.projectPath ? getAt(value, ['projects']) : undefined
  if (projects && typeof projects === 'object') {
    const existing = Object.keys(projects).find((k) => projectKey(k, 'win32') === projectKey(location.projectPath!, 'win32'))
    if (existing) path = ['projects', existing, ...path.slice(2)]
  }
  for (let depth = 1; depth <= path.length; depth++) {
    const v = getAt(value, path.slice(0, depth))
    if (v === undefined) return {}
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      throw new KeywardenError(
        'file-unparseable',
        `${location.label}'s ${location.file}: "${path[depth - 1]}" should be an object but is ${Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`}. Fix it or move the file aside; Keywarden did not change it.`
      )
    }
  }
  return getAt(value, path) as Record<string, unknown>
}

/**
 * Opens a location's file for a change: parsed once, servers' names checked for duplicates. A
 * Claude Code project keyed with other letter case or slashes (Windows, macOS) is that project.
 */
export async function openLocation(location: ConfigLocation): Promise<{ doc: ConfigDoc; names: string[]; container: string[] }> {
  const bytes = await readConfigBytes(location.file, location.label)
  const doc = openDoc(location.file, location.label, bytes?.toString('utf8') ?? null)
  doc.originalBytes = bytes
  let container = containerPath(location)
  if (location.looseProjectKey && location.projectPath) {
    const wanted = projectKey(location.projectPath, 'win32')
    const existing = keysAt(doc, ['projects']).find((k) => projectKey(k, 'win32') === wanted)
    if (existing) container = ['projects', existing, ...container.slice(2)]
  }
  return { doc, names: keysAt(doc, container), container }
}

function finish(location: ConfigLocation, serverName: string, doc: ConfigDoc, summary: string, steps: UndoStep[], secrets: string[]): Plan {
  const before = doc.original
  const after = docText(doc)
  const created = before === null || before.trim() === ''
  const oldBody = created ? '' : stripBom(before)
  const from = created ? 0 : doc.from
  const suffix = created ? 0 : doc.suffix
  const diff = docChanged(doc)
    ? maskedDiff(location.file, oldBody, doc.body, { from, suffix, keysAt: (offset) => keysAtOffset(doc, oldBody, offset) }, secrets)
    : ''
  const changed = doc.body.slice(from, doc.body.length - suffix)
  return {
    location,
    serverName,
    before,
    after,
    diff,
    summary,
    holdsSecret: secrets.some((s) => s.length >= 8 && changed.includes(s)),
    steps,
    doc
  }
}

const stripBom = (text: string) => (text.startsWith('\uFEFF') ? text.slice(1) : text)

/** Plans adding a server; a name already taken is a conflict that names a free one. */
export async function planAdd(location: ConfigLocation, spec: ServerSpec, options: { replaceExisting?: boolean } = {}): Promise<Plan> {
  const { doc, names, container } = await openLocation(location)
  if (names.includes(spec.name) && !options.replaceExisting) {
    throw new KeywardenError(
      'conflict',
      `${location.label} already has a server named "${spec.name}". Choose another name, e.g. "${freeName(spec.name, names)}".`
    )
  }
  const path = [...container, spec.name]
  const entry = renderEntry(location.client, spec)
  const steps: UndoStep[] = [{ path, before: names.includes(spec.name) ? valueAt(doc, path) : undefined, after: entry }]
  setAt(doc, path, entry)
  if (spec.placement === 'input' && spec.input) {
    const input = { type: 'promptString', id: spec.input.id, description: spec.input.description, password: true }
    const existing = inputById(valueAt(doc, ['inputs']), spec.input.id)
    if (existing === undefined) {
      setInput(doc, spec.input.id, input)
      steps.push({ path: ['inputs'], inputId: spec.input.id, after: input })
    }
  }
  return finish(location, spec.name, doc, `Add "${spec.name}" to ${location.label}`, steps, [spec.secret ?? ''].filter(Boolean))
}

/** Plans replacing the key in an existing inline entry's header, touching nothing else. */
export async function planSetHeader(
  location: ConfigLocation,
  serverName: string,
  header: string,
  value: string,
  oldValues: string[] = []
): Promise<Plan> {
  const { doc, names, container } = await openLocation(location)
  if (!names.includes(serverName)) throw new KeywardenError('not-found', `${location.label} no longer has a server named "${serverName}".`)
  const entryPath = [...container, serverName]
  const { field, values: headers } = entryHeaders(valueAt(doc, entryPath))
  const name = Object.keys(headers).find((h) => h.toLowerCase() === header.toLowerCase()) ?? header
  const path = [...entryPath, field, name]
  const steps: UndoStep[] = [{ path, before: valueAt(doc, path), after: value }]
  if (!isDeepStrictEqual(steps[0]!.before, value)) setAt(doc, path, value)
  const secrets = [value, ...oldValues, ...Object.values(headers)].map((v) => v.replace(/^Bearer\s+/i, ''))
  return finish(location, serverName, doc, `Update the key of "${serverName}" in ${location.label}`, steps, secrets)
}

/** Plans removing a server, and the VS Code `inputs` entry it used when nothing else uses it. */
export async function planRemove(location: ConfigLocation, serverName: string): Promise<Plan> {
  const { doc, names, container } = await openLocation(location)
  if (!names.includes(serverName)) throw new KeywardenError('not-found', `${location.label} has no server named "${serverName}".`)
  const path = [...container, serverName]
  const entry = valueAt(doc, path)
  const steps: UndoStep[] = [{ path, before: entry }]
  const usedBefore = [...inputsInUse(JSON.stringify(entry ?? null))]
  setAt(doc, path, undefined)
  if (location.client === 'vscode' || location.client === 'vscode-insiders') {
    const stillUsed = inputsInUse(doc.body)
    for (const id of usedBefore) {
      const input = inputById(valueAt(doc, ['inputs']), id)
      if (input === undefined || stillUsed.has(id)) continue
      setInput(doc, id, undefined)
      steps.push({ path: ['inputs'], inputId: id, before: input })
    }
  }
  return finish(location, serverName, doc, `Remove "${serverName}" from ${location.label}`, steps, readHeaderValues(entry))
}

function readHeaderValues(entry: unknown): string[] {
  return Object.values(entryHeaders(entry).values).map((v) => v.replace(/^Bearer\s+/i, ''))
}

export function freeName(base: string, taken: string[]): string {
  let n = 2
  while (taken.includes(`${base}-${n}`)) n++
  return `${base}-${n}`
}

/**
 * Writes a plan if the file still matches its preview. What undoes it is recorded first, so a
 * failure after the write still leaves an undo; a write that did not happen takes it back.
 */
export async function applyPlan(plan: Plan, backups: BackupStore): Promise<string> {
  let id = ''
  await writeIfUnchanged({
    file: plan.location.file,
    label: plan.location.label,
    expected: plan.doc.originalBytes ?? plan.before,
    content: plan.after,
    ownerOnly: plan.holdsSecret,
    verify: (text) => holdsExpectations(plan.doc, text),
    beforeWrite: async (target) => {
      id = await backups.record(
        plan.location.file,
        plan.before,
        { label: plan.location.label, steps: plan.steps, createdText: plan.before === null ? plan.after : undefined },
        plan.summary,
        target
      )
    },
    writeFailed: () => backups.discard(id)
  })
  return id
}

/**
 * Undoes a change on whatever the file holds now: the entries Keywarden changed are put back as
 * they were, everything else in the file (Claude Code rewrites its own file often) is kept.
 * Refused only when one of those entries was itself changed since.
 */
export async function undoChange(changeId: string, backups: BackupStore): Promise<void> {
  const change = await backups.get(changeId)
  if (!change) throw new KeywardenError('not-found', 'That change is no longer in the undo history.')
  if (change.undone) throw new KeywardenError('conflict', 'That change was already undone.')
  const data = await backups.undoData(changeId)
  if (!data) return undoWholeFile(change, backups)
  const text = await readConfigText(change.file, data.label)
  if (text === null) throw new KeywardenError('not-found', `${change.file} no longer exists, so there is nothing to undo.`)
  const changedMessage = `${change.file} changed while Keywarden was undoing "${change.summary}". Try the undo again.`
  if (data.createdText !== undefined && text === data.createdText) {
    await removeIfUnchanged(change.file, text, changedMessage)
    return backups.markUndone(changeId)
  }
  const doc = openDoc(change.file, data.label, text)
  for (const step of [...data.steps].reverse()) {
    const now = step.inputId !== undefined ? inputById(valueAt(doc, ['inputs']), step.inputId) : valueAt(doc, step.path)
    if (isDeepStrictEqual(now, step.before)) continue
    if (!isDeepStrictEqual(now, step.after)) {
      const what = step.inputId !== undefined ? `the VS Code input "${step.inputId}"` : `"${step.path.at(-1)}"`
      throw new KeywardenError(
        'file-changed',
        `${what} in ${change.file} was changed after Keywarden wrote it, so undoing "${change.summary}" could lose that edit. Change it by hand if you still want to.`
      )
    }
    if (step.inputId !== undefined) setInput(doc, step.inputId, step.before as Record<string, unknown> | undefined)
    else setAt(doc, step.path, step.before)
  }
  if (docChanged(doc))
    await writeIfUnchanged({
      file: change.file,
      label: data.label,
      expected: text,
      content: docText(doc),
      ownerOnly: false,
      verify: (t) => holdsExpectations(doc, t),
      changedMessage
    })
  await backups.markUndone(changeId)
}

/** Changes recorded before undo worked entry by entry: the whole file back, if untouched since. */
async function undoWholeFile(
  change: { id: string; file: string; existed: boolean; writtenHash?: string; summary: string },
  backups: BackupStore
): Promise<void> {
  const current = await readText(change.file)
  const hash = createHash('sha256')
    .update(current ?? '\u0000missing')
    .digest('hex')
  if (hash !== change.writtenHash)
    throw new KeywardenError(
      'file-changed',
      `${change.file} changed since Keywarden wrote it, and this older change can only be undone as a whole file. Undo it by hand.`
    )
  if (!change.existed) await removeIfUnchanged(change.file, current!, `${change.file} changed while Keywarden was undoing it. Try again.`)
  else
    await writeIfUnchanged({
      file: change.file,
      label: 'The config file',
      expected: current,
      content: await backups.content(change.id),
      ownerOnly: false
    })
  await backups.markUndone(change.id)
}
