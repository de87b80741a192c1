import { access } from 'node:fs/promises'
import { KeywardenError } from '../../shared/errors'
import type { Binding, Rotation } from '../../shared/schemas'
import { clientScopeLabel } from '../mcp-config/clients'
import { fingerprint } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import { describeError, type RotationCore, type RotationDeps } from './core'

type Entry = Rotation['bindings'][number]

/** "Cursor (global): acme" — how a person finds the entry. */
export const bindingLabel = (b: Binding) => `${clientScopeLabel(b.client, b.scope)}: ${b.serverName}`

const fileExists = (file: string) =>
  access(file).then(
    () => true,
    () => false
  )

const entryGone = (error: unknown) => error instanceof KeywardenError && error.code === 'not-found'

/**
 * Moving each client to the new key and back. Every binding gets its own outcome: updated, gone
 * from its file (the binding is forgotten), or waiting for the person with a message saying why;
 * one client that cannot be changed never stops the others.
 */
export function createClientUpdates(deps: RotationDeps, core: RotationCore) {
  const { advance, patch, newValue, bindingsOf, progress } = core
  const { vault } = deps

  const forget = (bindingId: string) => vault.bindings.forget([bindingId])

  /**
   * Bindings the old key gained after planning (or whose move never reached the vault) are added
   * as pending entries, so nothing is left on a key about to be revoked.
   */
  function stragglers(r: Rotation): Entry[] {
    const onOld = bindingsOf(r.keyId)
    const known = new Map(r.bindings.map((e) => [e.bindingId, e]))
    return onOld.flatMap((b) => {
      const e = known.get(b.id)
      if (!e) return [{ bindingId: b.id, status: 'pending' as const }]
      return e.status === 'pending' || e.status === 'needs-person' ? [] : [{ ...e, status: 'pending' as const, message: undefined }]
    })
  }

  function withStragglers(r: Rotation, found: Entry[]): Rotation {
    const ids = new Set(found.map((e) => e.bindingId))
    return { ...r, bindings: [...r.bindings.filter((e) => !ids.has(e.bindingId)), ...found] }
  }

  type Outcome = { change: Partial<Entry>; moved?: boolean; forget?: boolean }

  async function updateOne(entry: Entry, value: string, oldFingerprint: string | undefined): Promise<Outcome> {
    const binding = vault.bindings.find(entry.bindingId)
    if (!binding) return { change: { status: 'forgotten', message: 'No longer recorded in Keywarden.' } }
    try {
      const result = await deps.writer.update(binding, value, { oldFingerprint })
      const message = result.needsPerson
        ? `${bindingLabel(binding)} keeps its own encrypted copy: re-enter the new key there when it asks.`
        : undefined
      return { moved: true, change: { status: result.needsPerson ? 'needs-person' : 'updated', changeId: result.changeId, message } }
    } catch (error) {
      // A file missing altogether has more likely moved than been emptied on purpose: say so, forget nothing.
      if (entryGone(error) && !(await fileExists(binding.file)))
        return {
          change: {
            status: 'needs-person',
            message:
              `${bindingLabel(binding)}: ${binding.file} is not there any more (moved or deleted?). Put it back where it was and resume; if it was deleted on purpose, remove the binding (\`keywarden bindings remove ${binding.id.slice(0, 8)} --yes\`, or "Forget it" under the key's Used by) and resume; or roll the rotation back. The old key stays until then.`.slice(
                0,
                480
              )
          }
        }
      if (entryGone(error))
        return {
          forget: true,
          change: { status: 'forgotten', message: `${bindingLabel(binding)} is gone from ${binding.file}; Keywarden forgot it.` }
        }
      return {
        change: { status: 'needs-person', message: `${bindingLabel(binding)} was not updated: ${describeError(error)}`.slice(0, 480) }
      }
    }
  }

  /**
   * Writes the new key into every selected entry: files in parallel, entries of one file one after
   * the other (each write checks the file is as it was read). The vault records every move in one
   * write; the caller journals the outcomes. A crash before that leaves the entries pending, and
   * writing a value an entry already holds changes nothing, so repeating the step is harmless.
   */
  async function updateEntries(r: Rotation, which: (e: Entry, b: Binding | undefined) => boolean): Promise<Rotation> {
    const value = await newValue(r)
    // The vault knows the old key's fingerprint: no need to read its value to recognise it.
    const old = vault.keys.find(r.keyId)
    let oldFingerprint = old?.fingerprint
    if (!oldFingerprint) {
      const oldValue = await deps.secrets.get(accounts.key(r.keyId))
      oldFingerprint = oldValue ? fingerprint(oldValue) : undefined
    }
    const byFile = new Map<string, Entry[]>()
    for (const entry of r.bindings) {
      const binding = vault.bindings.find(entry.bindingId)
      if (!which(entry, binding)) continue
      const file = binding?.file ?? entry.bindingId
      byFile.set(file, [...(byFile.get(file) ?? []), entry])
    }
    if (byFile.size === 0) return r
    const outcomes = new Map<string, Outcome>()
    await Promise.all(
      [...byFile.values()].map(async (entries) => {
        for (const entry of entries) {
          const binding = vault.bindings.find(entry.bindingId)
          const label = binding ? bindingLabel(binding) : 'A client no longer recorded'
          progress(r, `Updating ${label}…`, { bindingId: entry.bindingId, bindingStatus: 'working' })
          const outcome = await updateOne(entry, value, oldFingerprint)
          outcomes.set(entry.bindingId, outcome)
          const status = outcome.change.status ?? 'updated'
          progress(r, outcome.change.message ?? `${label} is on the new key.`, {
            bindingId: entry.bindingId,
            bindingStatus: status === 'pending' ? 'working' : status
          })
        }
      })
    )
    const moved = new Set([...outcomes].filter(([, o]) => o.moved).map(([id]) => id))
    const gone = new Set([...outcomes].filter(([, o]) => o.forget).map(([id]) => id))
    if (moved.size || gone.size) await vault.bindings.reassign(r.newKeyId, [...moved], [...gone])
    return { ...r, bindings: r.bindings.map((e) => (outcomes.has(e.bindingId) ? { ...e, ...outcomes.get(e.bindingId)!.change } : e)) }
  }

  async function updateBindings(r: Rotation): Promise<Rotation> {
    const found = stragglers(r)
    if (found.length) r = withStragglers(r, found)
    r = await updateEntries(r, (e) => e.status === 'pending' || e.status === 'restored')
    return advance(r, 'bindings-updated')
  }

  /** At awaiting-person: tries again the files that could not be written (the person may have fixed them). */
  async function retryFiles(r: Rotation): Promise<Rotation> {
    const next = await updateEntries(r, (e, b) => e.status === 'needs-person' && b?.placement !== 'input')
    return next === r ? r : patch(next, {})
  }

  /** The person re-entered the new key where Keywarden cannot write it (VS Code's encrypted copy). */
  async function confirmEntered(r: Rotation): Promise<Rotation> {
    const inputs = new Set(
      vault.bindings
        .list()
        .filter((b) => b.placement === 'input')
        .map((b) => b.id)
    )
    const bindings = r.bindings.map((e) =>
      e.status === 'needs-person' && inputs.has(e.bindingId) ? { ...e, status: 'updated' as const, message: 'Re-entered by you.' } : e
    )
    return patch(r, { bindings })
  }

  /**
   * Before the old key is revoked: bindings it gained send the rotation back to update them, the
   * person is asked for what only they can do, and then every entry must be on the new key.
   */
  async function beforeRevoke(r: Rotation): Promise<Rotation | 'ready'> {
    const found = stragglers(r)
    if (found.length)
      return advance(
        r,
        'created',
        { bindings: withStragglers(r, found).bindings },
        `${found.length} more client config${found.length === 1 ? '' : 's'} use the old key`
      )
    if (r.bindings.some((e) => e.status === 'needs-person'))
      return advance(r, 'awaiting-person', {}, 'waiting for you before the old key is revoked')
    assertAllOnNewKey(r)
    return 'ready'
  }

  function assertAllOnNewKey(r: Rotation): void {
    const waiting = r.bindings.filter((e) => e.status !== 'updated' && e.status !== 'forgotten')
    const onOld = bindingsOf(r.keyId)
    if (waiting.length || onOld.length) {
      const names = onOld.map(bindingLabel).join(', ')
      throw new KeywardenError(
        'conflict',
        `Not revoking the old key: ${names || `${waiting.length} client config(s)`} would still use it. Resume to update ${onOld.length + waiting.length === 1 ? 'it' : 'them'} first.`
      )
    }
  }

  return { updateBindings, retryFiles, confirmEntered, beforeRevoke, assertAllOnNewKey, forget }
}
