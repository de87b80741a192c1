import { isDeepStrictEqual } from 'node:util'
import { KeywardenError } from '../../shared/errors'
import type { Binding } from '../../shared/schemas'
import { sha256, type BackupStore, type ChangeRecord, type UndoStep } from './files/backups'
import { fingerprint } from '../vault/fingerprint'
import {
  docChanged,
  docText,
  getAt,
  holdsExpectations,
  inputById,
  inputsInUse,
  keysAt,
  keysAtOffset,
  maskedDiff,
  openDoc,
  readConfig,
  readConfigBytes,
  setAt,
  setInput,
  valueAt,
  type ConfigDoc
} from './document/formats'
import { entryHeaders, type ServerSpec } from './document/entries'
import { renderEntry } from './clients'
import { projectKey, type ConfigLocation } from './paths'
import { bareKey } from './server-entry'
import { removeIfUnchanged, writeIfUnchanged } from './files/safe-write'
import { checkedTarget } from './files/link-policy'

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
  /** The file that will really change (the link's target, when the path goes through a link). */
  target: string
  /** Said in the preview when the path goes through a link. */
  linkNote?: string
  /** What undo reverses: each value changed, before and after. */
  steps: UndoStep[]
  /** Fingerprints of the keys the change carries (new and replaced): its backup goes when all are revoked. */
  holds: string[]
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
export async function openLocation(
  location: ConfigLocation,
  options: { home?: string } = {}
): Promise<{ doc: ConfigDoc; names: string[]; container: string[]; target: string; viaLink: boolean }> {
  // Both at once; a refused link is reported before anything about the file's content.
  const [checked, read] = await Promise.allSettled([
    checkedTarget(location.file, { home: options.home, label: location.label }),
    readConfigBytes(location.file, location.label)
  ])
  if (checked.status === 'rejected') throw checked.reason
  if (read.status === 'rejected') throw read.reason
  const { target, viaLink } = checked.value
  const bytes = read.value
  const doc = openDoc(location.file, location.label, bytes?.toString('utf8') ?? null)
  doc.originalBytes = bytes
  let container = containerPath(location)
  if (location.looseProjectKey && location.projectPath) {
    const wanted = projectKey(location.projectPath, 'win32')
    const existing = keysAt(doc, ['projects']).find((k) => projectKey(k, 'win32') === wanted)
    if (existing) container = ['projects', existing, ...container.slice(2)]
  }
  return { doc, names: keysAt(doc, container), container, target, viaLink }
}

type Opened = Awaited<ReturnType<typeof openLocation>>

function finish(
  location: ConfigLocation,
  serverName: string,
  { doc, target, viaLink }: Opened,
  summary: string,
  steps: UndoStep[],
  secrets: string[]
): Plan {
  const before = doc.original
  const after = docText(doc)
  const created = before === null || before.trim() === ''
  const oldBody = created ? '' : stripBom(before)
  const from = created ? 0 : doc.from
  const suffix = created ? 0 : doc.suffix
  const diff = docChanged(doc)
    ? maskedDiff(target, oldBody, doc.body, { from, suffix, keysAt: (offset) => keysAtOffset(doc, oldBody, offset) }, secrets)
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
    target,
    linkNote: viaLink ? `${location.file} is a link: the change is made to ${target}.` : undefined,
    holds: [...new Set(secrets.filter((s) => s.length >= 8).map(fingerprint))],
    doc
  }
}

const stripBom = (text: string) => (text.startsWith('\uFEFF') ? text.slice(1) : text)

/** Plans adding a server; a name already taken is a conflict that names a free one. */
export async function planAdd(
  location: ConfigLocation,
  spec: ServerSpec,
  options: { replaceExisting?: boolean; home?: string } = {}
): Promise<Plan> {
  const opened = await openLocation(location, options)
  const { doc, names, container } = opened
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
    const inputs = valueAt(doc, ['inputs'])
    if (inputs === undefined) {
      // The list is created for this entry: undo removes the whole list, not just the entry in it.
      setInput(doc, spec.input.id, input)
      steps.push({ path: ['inputs'], before: undefined, after: [input] })
    } else if (inputById(inputs, spec.input.id) === undefined) {
      setInput(doc, spec.input.id, input)
      steps.push({ path: ['inputs'], inputId: spec.input.id, after: input })
    }
  }
  return finish(location, spec.name, opened, `Add "${spec.name}" to ${location.label}`, steps, [spec.secret ?? ''].filter(Boolean))
}

/** Plans replacing the key in an existing inline entry's header, touching nothing else. */
export async function planSetHeader(
  location: ConfigLocation,
  serverName: string,
  header: string,
  value: string,
  oldValues: string[] = [],
  options: { home?: string } = {}
): Promise<Plan> {
  const opened = await openLocation(location, options)
  const { doc, names, container } = opened
  if (!names.includes(serverName)) throw new KeywardenError('not-found', `${location.label} no longer has a server named "${serverName}".`)
  const entryPath = [...container, serverName]
  const { field, values: headers } = entryHeaders(valueAt(doc, entryPath))
  const name = Object.keys(headers).find((h) => h.toLowerCase() === header.toLowerCase()) ?? header
  const path = [...entryPath, field, name]
  const steps: UndoStep[] = [{ path, before: valueAt(doc, path), after: value }]
  if (!isDeepStrictEqual(steps[0]!.before, value)) setAt(doc, path, value)
  const secrets = [value, ...oldValues, ...Object.values(headers)].map(bareKey)
  return finish(location, serverName, opened, `Update the key of "${serverName}" in ${location.label}`, steps, secrets)
}

/** Plans removing a server, and the VS Code `inputs` entry it used when nothing else uses it. */
export async function planRemove(location: ConfigLocation, serverName: string, options: { home?: string } = {}): Promise<Plan> {
  const opened = await openLocation(location, options)
  const { doc, names, container } = opened
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
  return finish(location, serverName, opened, `Remove "${serverName}" from ${location.label}`, steps, readHeaderValues(entry))
}

function readHeaderValues(entry: unknown): string[] {
  return Object.values(entryHeaders(entry).values).map(bareKey)
}

export function freeName(base: string, taken: string[]): string {
  let n = 2
  while (taken.includes(`${base}-${n}`)) n++
  return `${base}-${n}`
}

/**
 * Writes a plan if the file still matches its preview. What undoes it is recorded first, so a
 * failure after the write still leaves an undo; a write that did not happen takes it back.
 * `ends.bindings` are the bindings whose entries the plan removes, kept for the undo to record again.
 */
export async function applyPlan(plan: Plan, backups: BackupStore, ends: { bindings?: Binding[] } = {}): Promise<string> {
  let id = ''
  await writeIfUnchanged({
    file: plan.location.file,
    label: plan.location.label,
    expected: plan.doc.originalBytes ?? plan.before,
    content: plan.after,
    ownerOnly: plan.holdsSecret,
    verify: (text) => holdsExpectations(plan.doc, text),
    ledger: backups.ledger,
    beforeWrite: async (_target, written, modeBefore) => {
      id = await backups.record({
        modeBefore,
        file: plan.location.file,
        before: plan.doc.originalBytes ?? plan.before,
        undo: {
          label: plan.location.label,
          steps: plan.steps,
          createdText: plan.before === null ? plan.after : undefined,
          ...(ends.bindings?.length ? { bindings: ends.bindings } : {})
        },
        summary: plan.summary,
        written,
        holds: plan.holds
      })
    },
    writeFailed: () => backups.discard(id)
  })
  return id
}

/**
 * Undoes a change. While the file is still exactly what Keywarden wrote, its earlier bytes go back
 * as they were. Otherwise the change is undone on whatever the file holds now: the entries
 * Keywarden changed are put back, everything else in the file (Claude Code rewrites its own file
 * often) is kept — refused only when one of those entries was itself changed since.
 *
 * The file's mode after an undo is the stricter of its mode now and the one recorded before the
 * change (each permission bit kept only if both allow it): a chmod 600 made since is kept, a file
 * opened up since goes back to no more than it was, and an undo never makes a file more readable
 * than it is now or was before — a key the change took out may be back in it.
 */
export async function undoChange(
  changeId: string,
  backups: BackupStore,
  options: {
    /**
     * Whether an entry that differs from what the change wrote was changed only by Keywarden itself
     * (a rotation putting a newer key in it): such an entry is still the change's to undo.
     */
    ownEdit?: (now: unknown, written: unknown) => boolean
  } = {}
): Promise<void> {
  const change = await backups.get(changeId)
  if (!change) throw new KeywardenError('not-found', 'That change is no longer in the undo history.')
  if (change.undone) throw new KeywardenError('conflict', 'That change was already undone.')
  const data = await backups.undoData(changeId)
  const label = data?.label ?? 'The config file'
  const bytes = await readConfigBytes(change.file, label)
  const changedMessage = `${change.file} changed while Keywarden was undoing "${change.summary}". Try the undo again.`
  if (bytes !== null && change.writtenHash !== undefined && sha256(bytes) === change.writtenHash) {
    await restoreExactly(change, bytes, backups, changedMessage)
    return backups.markUndone(changeId)
  }
  if (!data || data.steps.length === 0) {
    throw new KeywardenError(
      'file-changed',
      `${change.file} changed since Keywarden wrote it, and this older change can only be undone as a whole file. Undo it by hand.`
    )
  }
  const text = bytes?.toString('utf8') ?? null
  if (text === null) throw new KeywardenError('not-found', `${change.file} no longer exists, so there is nothing to undo.`)
  if (data.createdText !== undefined && text === data.createdText) {
    await removeIfUnchanged(change.file, text, changedMessage, backups.ledger)
    return backups.markUndone(changeId)
  }
  const doc = openDoc(change.file, data.label, text)
  for (const step of [...data.steps].reverse()) {
    const now = step.inputId !== undefined ? inputById(valueAt(doc, ['inputs']), step.inputId) : valueAt(doc, step.path)
    if (isDeepStrictEqual(now, step.before)) continue
    if (!isDeepStrictEqual(now, step.after) && !(step.inputId === undefined && options.ownEdit?.(now, step.after))) {
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
      modeAtMost: change.modeBefore,
      verify: (t) => holdsExpectations(doc, t),
      changedMessage,
      ledger: backups.ledger
    })
  await backups.markUndone(changeId)
}

/** The file as it was before the change, byte for byte (or gone again, if the change created it). */
async function restoreExactly(change: ChangeRecord, current: Buffer, backups: BackupStore, changedMessage: string): Promise<void> {
  if (!change.existed) return removeIfUnchanged(change.file, current.toString('utf8'), changedMessage, backups.ledger)
  await writeIfUnchanged({
    file: change.file,
    label: 'The config file',
    expected: current,
    content: await backups.content(change.id),
    ownerOnly: false,
    modeAtMost: change.modeBefore,
    changedMessage,
    ledger: backups.ledger
  })
}
