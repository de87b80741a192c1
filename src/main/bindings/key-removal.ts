import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Binding, KeyMeta } from '../../shared/schemas'
import { clientScopeLabel } from '../mcp-config/clients'
import type { Vault } from '../vault/vault'
import type { RemovedBinding } from './bindings-service'
import { accounts, type SecretStore } from '../vault/secret-store'

/** What "Remove from vault" took away, kept in this process for its undo. */
interface Removed {
  key: KeyMeta
  value: string | null
  /** Each entry removed with the key, in the order removed; no change id when it was already gone from its file. */
  entries: Array<{ binding: Binding; changeId?: string }>
  expires: number
}

/** How long "Undo" stays offered after a removal. */
export const REMOVAL_UNDO_MS = 10 * 60 * 1000

const describe = (b: Binding) => `${clientScopeLabel(b.client, b.scope)}: ${b.serverName}`
const sameIds = (ids: string[], bindings: Binding[]) => ids.length === bindings.length && bindings.every((b) => ids.includes(b.id))
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * "Remove from vault". A key that clients use is refused, naming them (the vault's rule); with
 * `removeEntries` their entries go first (each a recorded change, like removing it on the Tools
 * screen), then the key and its keychain value, as one step: when one entry cannot be removed, the
 * ones already removed are put back and the key stays. Its undo (for ten minutes, in this process)
 * puts the value and the key back first, then each entry with its binding, so no helper or bridge
 * entry ever asks for a key the vault does not have.
 */
export function createKeyRemoval(deps: {
  vault: Vault
  secrets: SecretStore
  bindings: {
    remove(bindingId: string): Promise<RemovedBinding>
    undo(changeId: string, options: { asBefore: true }): Promise<unknown>
  }
  now?: () => number
}) {
  const { vault } = deps
  const now = deps.now ?? Date.now
  const undoable = new Map<string, Removed>()

  /** Puts back an entry removed with the key, and its binding when the undo did not record it again. */
  async function putBack(entry: Removed['entries'][number]): Promise<void> {
    if (entry.changeId) await deps.bindings.undo(entry.changeId, { asBefore: true })
    if (!vault.bindings.find(entry.binding.id)) await vault.bindings.add(entry.binding)
  }

  async function remove(keyId: string, options: { removeEntries?: boolean; bindingIds?: string[] } = {}) {
    const key = vault.keys.get(keyId)
    const using = vault.bindings.ofKey(keyId)
    if (options.bindingIds && !sameIds(options.bindingIds, using)) {
      throw new KeywardenError(
        'conflict',
        `The clients using "${key.name}" changed since this was shown (${using.length ? using.map(describe).join('; ') : 'none now'}). Nothing was changed; look again and confirm.`
      )
    }
    // Refused before any file changes: a rotation holds it, or clients use it and their entries stay.
    vault.keys.checkCanRemove(keyId, { withItsEntries: options.removeEntries })
    const value = await deps.secrets.get(accounts.key(keyId))
    const entries: Removed['entries'] = []
    try {
      for (const binding of using) {
        // An entry already gone from its file has nothing to remove: removing it forgets only its record.
        const removed = await deps.bindings.remove(binding.id)
        entries.push({ binding, changeId: 'changeId' in removed ? removed.changeId : undefined })
      }
      await vault.keys.remove(keyId)
    } catch (error) {
      const stuck: string[] = []
      for (const entry of [...entries].reverse())
        await putBack(entry).catch((e: unknown) => stuck.push(`${describe(entry.binding)} (${messageOf(e)})`))
      const after = !entries.length
        ? 'Nothing was changed.'
        : stuck.length
          ? `These entries were removed and could not be put back: ${stuck.join('; ')}. Add the key to them again (Keys → Add to…).`
          : `The ${entries.length === 1 ? 'entry already removed was' : 'entries already removed were'} put back; nothing else changed.`
      throw new KeywardenError(
        error instanceof KeywardenError ? error.code : 'internal',
        `"${key.name}" was not removed from the vault: ${messageOf(error)} ${after}`
      )
    }
    await deps.secrets.delete(accounts.key(keyId)).catch(() => false)
    for (const [id, r] of undoable) if (r.expires < now()) undoable.delete(id)
    const undoId = randomUUID()
    undoable.set(undoId, { key, value, entries, expires: now() + REMOVAL_UNDO_MS })
    // An entry already gone from its file was only forgotten: said as such, not as removed.
    return {
      ok: true as const,
      removed: entries.map((e) => (e.changeId ? describe(e.binding) : `${describe(e.binding)} (already gone from its file; forgotten)`)),
      undoId
    }
  }

  async function undo(undoId: string): Promise<{ ok: true }> {
    const r = undoable.get(undoId)
    if (!r || r.expires < now())
      throw new KeywardenError(
        'not-found',
        'That removal can no longer be undone (undo lasts ten minutes, in the Keywarden that removed the key). Import the key again and add it to its clients.'
      )
    undoable.delete(undoId)
    if (r.value !== null) await deps.secrets.set(accounts.key(r.key.id), r.value)
    try {
      await vault.keys.add(r.key)
    } catch (error) {
      // Imported again since: the vault keeps that copy, and this value goes with the undo.
      if (r.value !== null) await deps.secrets.delete(accounts.key(r.key.id)).catch(() => false)
      throw error
    }
    const stuck: string[] = []
    for (const entry of [...r.entries].reverse())
      await putBack(entry).catch((e: unknown) => stuck.push(`${describe(entry.binding)}: ${messageOf(e)}`))
    if (stuck.length)
      throw new KeywardenError(
        'file-changed',
        `"${r.key.name}" is back in the vault, but ${stuck.length === 1 ? 'one entry' : `${stuck.length} entries`} could not be put back — ${stuck.join('; ')} Add the key to ${stuck.length === 1 ? 'that client' : 'those clients'} again (Keys → Add to…).`
      )
    return { ok: true }
  }

  return { remove, undo }
}

export type KeyRemoval = ReturnType<typeof createKeyRemoval>
