import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import { maskSecret } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import { redactKeys } from './redact'
import { describeError, revokeIdempotent, type RotationCore, type RotationDeps } from './steps'
import { bindingLabel, type createToolUpdates } from './tool-updates'

type Outcome = NonNullable<Rotation['newKeyOutcome']>

/**
 * Putting every tool back on the old key. The rollback is journaled (rolling-back) before the
 * first file is touched, so an interrupted one is finished, never mistaken for a rotation that
 * only needs its old key revoked. A tool that cannot be put back does not stop the others; the
 * new key then stays alive until it can be, because that tool may still be using it.
 */
export function createRollback(deps: RotationDeps, core: RotationCore, tools: ReturnType<typeof createToolUpdates>) {
  const { advance, patch, withEntry, keyById, adapterOf, storeNewKey, retireKey, stamp } = core

  function start(r: Rotation, cause: 'verification' | 'request', reason: string, keepNewKey?: boolean): Promise<Rotation> {
    return advance(r, 'rolling-back', { rollback: { cause, reason: redactKeys(reason).slice(0, 500), keepNewKey } }, reason)
  }

  async function restoreTools(r: Rotation): Promise<{ r: Rotation; failures: string[] }> {
    const oldValue = await deps.secrets.get(accounts.key(r.keyId))
    const newValue = await deps.secrets.get(accounts.key(r.newKeyId))
    const failures: string[] = []
    for (const entry of r.bindings) {
      if (entry.status === 'restored' || entry.status === 'forgotten') continue
      const binding = deps.store.read().bindings.find((b) => b.id === entry.bindingId)
      if (!binding) {
        r = await patch(r, withEntry(r, entry.bindingId, { status: 'forgotten', message: 'No longer recorded in Keywarden.' }))
        continue
      }
      try {
        if (!oldValue) throw new KeywardenError('conflict', 'the old key is no longer in the keychain.')
        // Pending entries too: the process may have died after writing a file but before journaling it.
        await deps.writer.restore(binding, oldValue, { newValue: newValue ?? undefined })
        r = await patch(r, withEntry(r, entry.bindingId, { status: 'restored', message: undefined }))
      } catch (error) {
        if (error instanceof KeywardenError && error.code === 'not-found') {
          await tools.forget(binding.id)
          r = await patch(
            r,
            withEntry(r, entry.bindingId, {
              status: 'forgotten',
              message: `${bindingLabel(binding)} is gone from ${binding.file}; Keywarden forgot it.`
            })
          )
          continue
        }
        const message = `${bindingLabel(binding)} could not be put back on the old key: ${describeError(error)}`.slice(0, 480)
        failures.push(message)
        r = await patch(r, withEntry(r, entry.bindingId, { message }))
      }
    }
    // Re-applied on every pass, so a crash between a file and the vault cannot leave them apart.
    const restored = new Set(r.bindings.filter((e) => e.status === 'restored').map((e) => e.bindingId))
    if (deps.store.read().bindings.some((b) => restored.has(b.id) && b.keyId !== r.keyId)) {
      await deps.store.update((d) => {
        for (const b of d.bindings) if (restored.has(b.id)) b.keyId = r.keyId
      })
    }
    deps.emit?.({ type: 'bindings.changed' })
    return { r, failures }
  }

  /** Revokes the new key unless asked to keep it, and never while a tool still uses it. */
  async function settleNewKey(r: Rotation, keep: boolean): Promise<Outcome> {
    const newKey = deps.store.read().keys.find((k) => k.id === r.newKeyId)
    const adapter = adapterOf(r)
    if (newKey) {
      if (newKey.status === 'revoked') return 'revoked'
      if (keep || !adapter.revokeKey || !newKey.remoteId) return 'kept'
      const users = deps.store.read().bindings.filter((b) => b.keyId === r.newKeyId)
      if (users.length)
        throw new KeywardenError(
          'conflict',
          `The new key is not revoked: ${users.map(bindingLabel).join(', ')} still use${users.length === 1 ? 's' : ''} it.`
        )
      await revokeIdempotent(adapter, newKey.remoteId)
      await retireKey(r.newKeyId)
      return 'revoked'
    }
    const saved = await deps.secrets.get(accounts.key(r.newKeyId))
    if (r.mode === 'dashboard') {
      if (!saved) return 'none'
      // A key the person created and pasted: it stays in the vault so they can decide about it.
      await storeNewKey(r, saved, {
        providerId: r.providerId,
        name: r.newName,
        prefix: maskSecret(saved).slice(0, -1),
        createdAt: stamp(),
        status: 'active',
        scopes: keyById(r.keyId).scopes
      })
      return 'kept'
    }
    // Interrupted while creating: the service may hold a key the vault never recorded.
    const named = ((await adapter.listKeys?.()) ?? []).filter((k) => k.name === r.newName && k.active !== false)
    if (named.length === 0) {
      if (saved) await deps.secrets.delete(accounts.key(r.newKeyId)).catch(() => false)
      return 'none'
    }
    for (const k of named) await revokeIdempotent(adapter, k.remoteId)
    if (saved) await deps.secrets.delete(accounts.key(r.newKeyId)).catch(() => false)
    return 'revoked'
  }

  /** Runs (or finishes) a journaled rollback: tools first, then the new key, then rolled-back. */
  async function finish(r: Rotation): Promise<Rotation> {
    const restored = await restoreTools(r)
    r = restored.r
    if (restored.failures.length) {
      throw new KeywardenError(
        'conflict',
        `Rollback not finished: ${restored.failures.join(' ')} Fix that, then resume to finish the rollback. Every other tool is back on the old key; the new key is kept until then.`
      )
    }
    const outcome = await settleNewKey(r, r.rollback?.keepNewKey ?? r.rollback?.cause === 'verification')
    deps.emit?.({ type: 'keys.changed' })
    const done = await advance(r, 'rolled-back', { newKeyOutcome: outcome }, r.rollback?.reason ?? 'rolled back')
    if (r.rollback?.cause !== 'verification') return done
    const kept = outcome === 'kept' ? 'The new key was kept; revoke it or try again.' : 'The new key was revoked.'
    return patch(done, { error: `${r.rollback.reason} Your tools were put back on the old key, which still works. ${kept}`.slice(0, 1000) })
  }

  /** After a finished rollback: the person decides to revoke the new key after all. */
  async function revokeKept(r: Rotation): Promise<Rotation> {
    const outcome = await settleNewKey(r, false)
    deps.emit?.({ type: 'keys.changed' })
    return patch(r, { newKeyOutcome: outcome, error: outcome === 'revoked' ? undefined : r.error })
  }

  return { start, finish, revokeKept }
}
