import { KeywardenError } from '../../shared/errors'
import type { Binding, Rotation } from '../../shared/schemas'
import { accounts } from '../vault/secret-store'
import { describeError, type RotationCore, type RotationDeps } from './steps'

type Entry = Rotation['bindings'][number]

const CLIENT_NAMES: Record<string, string> = { 'claude-code': 'Claude Code', cursor: 'Cursor', vscode: 'VS Code', 'vscode-insiders': 'VS Code Insiders' }
/** "Cursor (global): acme" — how a person finds the entry. */
export const bindingLabel = (b: Binding) => `${CLIENT_NAMES[b.client] ?? b.client} (${b.scope}): ${b.serverName}`

const entryGone = (error: unknown) => error instanceof KeywardenError && error.code === 'not-found'

/**
 * Moving each tool to the new key and back. Every binding gets its own outcome: updated, gone
 * from its file (the binding is forgotten), or waiting for the person with a message saying why;
 * one tool that cannot be changed never stops the others.
 */
export function createToolUpdates(deps: RotationDeps, core: RotationCore) {
  const { advance, patch, withEntry, newValue, bindingsOf } = core

  async function forget(bindingId: string): Promise<void> {
    await deps.store.update((d) => {
      d.bindings = d.bindings.filter((b) => b.id !== bindingId)
    })
  }

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

  async function updateOne(r: Rotation, entry: Entry, value: string, oldValue: string | null, moved: string[]): Promise<Rotation> {
    const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
    if (!binding) return patch(r, withEntry(r, entry.bindingId, { status: 'forgotten', message: 'No longer recorded in Keywarden.' }))
    try {
      const result = await deps.writer.update(binding, value, { oldValue: oldValue ?? undefined })
      moved.push(binding.id)
      const message = result.needsPerson ? `${bindingLabel(binding)} keeps its own encrypted copy: re-enter the new key there when it asks.` : undefined
      return patch(r, withEntry(r, entry.bindingId, { status: result.needsPerson ? 'needs-person' : 'updated', changeId: result.changeId, message }))
    } catch (error) {
      if (entryGone(error)) {
        await forget(binding.id)
        return patch(r, withEntry(r, entry.bindingId, { status: 'forgotten', message: `${bindingLabel(binding)} is gone from ${binding.file}; Keywarden forgot it.` }))
      }
      const message = `${bindingLabel(binding)} was not updated: ${describeError(error)}`.slice(0, 480)
      return patch(r, withEntry(r, entry.bindingId, { status: 'needs-person', message }))
    }
  }

  /** Writes the new key into every entry still waiting for it; the vault records the moves at once. */
  async function updateEntries(r: Rotation, which: (e: Entry, b: Binding | undefined) => boolean): Promise<Rotation> {
    const value = await newValue(r)
    const oldValue = await deps.secrets.get(accounts.key(r.keyId))
    const moved: string[] = []
    for (const entry of r.bindings) {
      const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
      if (!which(entry, binding)) continue
      r = await updateOne(r, entry, value, oldValue, moved)
    }
    if (moved.length) {
      await deps.store.update((d) => {
        for (const b of d.bindings) if (moved.includes(b.id)) b.keyId = r.newKeyId
      })
      deps.emit?.({ type: 'bindings.changed' })
    }
    return r
  }

  async function updateBindings(r: Rotation): Promise<Rotation> {
    const found = stragglers(r)
    if (found.length) r = await patch(r, withStragglers(r, found))
    r = await updateEntries(r, (e) => e.status === 'pending' || e.status === 'restored')
    return advance(r, 'bindings-updated')
  }

  /** At awaiting-person: tries again the files that could not be written (the person may have fixed them). */
  async function retryFiles(r: Rotation): Promise<Rotation> {
    return updateEntries(r, (e, b) => e.status === 'needs-person' && b?.placement !== 'input')
  }

  /** The person re-entered the new key where Keywarden cannot write it (VS Code's encrypted copy). */
  async function confirmEntered(r: Rotation): Promise<Rotation> {
    const inputs = new Set(deps.store.read().bindings.filter((b) => b.placement === 'input').map((b) => b.id))
    const bindings = r.bindings.map((e) => (e.status === 'needs-person' && inputs.has(e.bindingId) ? { ...e, status: 'updated' as const, message: 'Re-entered by you.' } : e))
    return patch(r, { bindings })
  }

  /**
   * Before the old key is revoked: bindings it gained send the rotation back to update them, the
   * person is asked for what only they can do, and then every entry must be on the new key.
   */
  async function beforeRevoke(r: Rotation): Promise<Rotation | 'ready'> {
    const found = stragglers(r)
    if (found.length) return advance(r, 'created', { bindings: withStragglers(r, found).bindings }, `${found.length} more tool config${found.length === 1 ? '' : 's'} use the old key`)
    if (r.bindings.some((e) => e.status === 'needs-person')) return advance(r, 'awaiting-person', {}, 'waiting for you before the old key is revoked')
    assertAllOnNewKey(r)
    return 'ready'
  }

  function assertAllOnNewKey(r: Rotation): void {
    const waiting = r.bindings.filter((e) => e.status !== 'updated' && e.status !== 'forgotten')
    const onOld = bindingsOf(r.keyId)
    if (waiting.length || onOld.length) {
      const names = onOld.map(bindingLabel).join(', ')
      throw new KeywardenError('conflict', `Not revoking the old key: ${names || `${waiting.length} tool config(s)`} would still use it. Resume to update ${onOld.length + waiting.length === 1 ? 'it' : 'them'} first.`)
    }
  }

  return { updateBindings, retryFiles, confirmEntered, beforeRevoke, assertAllOnNewKey, forget }
}
