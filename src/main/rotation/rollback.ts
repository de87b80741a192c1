import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import { maskSecret } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import { redact } from '../vault/redaction'
import { describeError, revokeIdempotent, type RotationCore, type RotationDeps } from './core'
import { bindingLabel, type createClientUpdates } from './client-updates'

type Outcome = NonNullable<Rotation['newKeyOutcome']>

/**
 * Putting every client back on the old key. The rollback is journaled (rolling-back) before the
 * first file is touched, so an interrupted one is finished, never mistaken for a rotation that
 * only needs its old key revoked. A client that cannot be put back does not stop the others; the
 * new key then stays alive until it can be, because that client may still be using it.
 */
export function createRollback(deps: RotationDeps, core: RotationCore, clients: ReturnType<typeof createClientUpdates>) {
  const { vault } = deps
  const { advance, patch, withEntry, keyById, adapterOf, storeNewKey, retireKey, stamp } = core

  function start(r: Rotation, cause: 'verification' | 'request', reason: string, keepNewKey?: boolean): Promise<Rotation> {
    return advance(r, 'rolling-back', { rollback: { cause, reason: redact(reason).slice(0, 500), keepNewKey } }, reason)
  }

  async function restoreClients(r: Rotation): Promise<{ r: Rotation; failures: string[] }> {
    const oldValue = await deps.secrets.get(accounts.key(r.keyId))
    const newValue = await deps.secrets.get(accounts.key(r.newKeyId))
    const failures: string[] = []
    for (const entry of r.bindings) {
      if (entry.status === 'restored' || entry.status === 'forgotten') continue
      const binding = vault.bindings.find(entry.bindingId)
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
          await clients.forget(binding.id)
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
    const restored = r.bindings.filter((e) => e.status === 'restored').map((e) => e.bindingId)
    await vault.bindings.reassign(r.keyId, restored)
    return { r, failures }
  }

  /** Revokes the new key unless asked to keep it, and never while a client still uses it. */
  async function settleNewKey(r: Rotation, keep: boolean): Promise<Outcome> {
    const newKey = vault.keys.find(r.newKeyId)
    const adapter = adapterOf(r)
    if (newKey) {
      if (newKey.status === 'revoked') return 'revoked'
      if (keep || !adapter.revokeKey || !newKey.remoteId) return 'kept'
      const remoteId = newKey.remoteId
      // The vault refuses while a client still uses the new key; the request is not sent then.
      await retireKey(r.newKeyId, () => revokeIdempotent(adapter, remoteId))
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

  /** Runs (or finishes) a journaled rollback: clients first, then the new key, then rolled-back. */
  async function finish(r: Rotation): Promise<Rotation> {
    const restored = await restoreClients(r)
    r = restored.r
    if (restored.failures.length) {
      throw new KeywardenError(
        'conflict',
        `Rollback not finished: ${restored.failures.join(' ')} Fix that, then resume to finish the rollback. Every other client is back on the old key; the new key is kept until then.`
      )
    }
    const outcome = await settleNewKey(r, r.rollback?.keepNewKey ?? r.rollback?.cause === 'verification')
    const done = await advance(r, 'rolled-back', { newKeyOutcome: outcome }, r.rollback?.reason ?? 'rolled back')
    if (r.rollback?.cause !== 'verification') return done
    const kept = outcome === 'kept' ? 'The new key was kept; revoke it or try again.' : 'The new key was revoked.'
    return patch(done, {
      error: `${r.rollback.reason} Your clients were put back on the old key, which still works. ${kept}`.slice(0, 1000)
    })
  }

  /** After a finished rollback: the person decides to revoke the new key after all. */
  async function revokeKept(r: Rotation): Promise<Rotation> {
    const outcome = await settleNewKey(r, false)
    return patch(r, { newKeyOutcome: outcome, error: outcome === 'revoked' ? undefined : r.error })
  }

  return { start, finish, revokeKept }
}
