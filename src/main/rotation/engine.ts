import { randomBytes, randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Rotation, RotationState } from '../../shared/schemas'
import { recognise } from '../keys/import'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import { createRotationSteps, revokeIdempotent, type RotationDeps } from './steps'

export type { BindingWriter, RotationDeps } from './steps'

const FINISHED: RotationState[] = ['done', 'rolled-back']

/**
 * Guided rotation as a journaled state machine: planned → creating → created → bindings-updated →
 * verified → done (dashboard-managed services wait for the person at awaiting-new-key and
 * awaiting-revoke). Every transition is written to the journal before the step it announces runs,
 * the new value reaches the keychain before anything else happens to it, and the old key is
 * revoked only after every binding points at the new one and the new one is verified.
 */
export function createRotationEngine(deps: RotationDeps) {
  const { stamp, keyById, providerOf, bindingsOf, advance, fail, storeNewKey, create, updateBindings, verify, restoreBindings, retireOldKey } = createRotationSteps(deps)

  async function step(r: Rotation): Promise<Rotation> {
    const key = keyById(r.keyId)
    const adapter = deps.adapterFor(providerOf(key))
    switch (r.state) {
      case 'planned':
        return r.mode === 'api' ? create(r, adapter) : advance(r, 'awaiting-new-key')
      case 'creating':
        return create(r, adapter)
      case 'created':
        return updateBindings(r)
      case 'bindings-updated':
        return verify(r, adapter)
      case 'verified':
        if (r.mode === 'dashboard') return advance(r, 'awaiting-revoke')
        if (key.status !== 'revoked' && key.remoteId) await revokeIdempotent(adapter, key.remoteId)
        await retireOldKey(r)
        return advance(r, 'done', {}, `old key ${key.prefix}… revoked`)
      default:
        return r
    }
  }

  /** Runs steps until the rotation is finished, waits for the person, or a step fails. */
  async function run(id: string): Promise<Rotation> {
    let r = deps.journal.get(id)
    while (!FINISHED.includes(r.state) && r.state !== 'awaiting-new-key' && r.state !== 'awaiting-revoke') {
      try {
        const next = await step(r)
        if (next.state === r.state && next.updatedAt === r.updatedAt) break
        r = next
      } catch (error) {
        return fail(r, error)
      }
      if (r.state === 'rolled-back') break
    }
    return deps.journal.get(id)
  }

  return {
    list: () => [...deps.journal.list()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
    unfinished: () => deps.journal.list().filter((r) => !FINISHED.includes(r.state)),

    /** What a rotation of this key would do, without doing any of it. */
    plan(keyId: string): Rotation {
      const key = keyById(keyId)
      const adapter = deps.adapterFor(providerOf(key))
      if (key.status === 'revoked') throw new KeywardenError('conflict', `"${key.name}" is already revoked; there is nothing to rotate.`)
      if (!key.inVault) throw new KeywardenError('conflict', `"${key.name}" is not in this vault, so its tools cannot be updated. Import it first.`)
      const mode = adapter.managesKeys && adapter.createKey ? 'api' : 'dashboard'
      if (mode === 'api' && !key.remoteId) throw new KeywardenError('conflict', `"${key.name}" is not linked to its service record yet; sync first.`)
      const token = randomBytes(6).toString('hex')
      const at = stamp()
      return {
        id: randomUUID(),
        keyId,
        providerId: key.providerId,
        mode,
        state: 'planned',
        idempotencyToken: token,
        newName: `${key.name.replace(/ · rotated [0-9a-f]{12}$/, '').slice(0, 170)} · rotated ${token}`,
        newKeyId: randomUUID(),
        bindings: bindingsOf(keyId).map((b) => ({ bindingId: b.id, status: 'pending' as const })),
        startedAt: at,
        updatedAt: at,
        history: [{ state: 'planned', at }]
      }
    },

    async start(keyId: string): Promise<Rotation> {
      if (deps.journal.list().some((r) => r.keyId === keyId && !FINISHED.includes(r.state))) {
        throw new KeywardenError('conflict', 'This key already has a rotation in progress: resume or roll it back first.')
      }
      const r = await deps.journal.save(this.plan(keyId))
      deps.emit?.({ type: 'rotations.changed' })
      return run(r.id)
    },

    resume: run,

    /** Dashboard-managed: the person pasted the key they created in the dashboard. */
    async provideNewKey(id: string, value: string): Promise<Rotation> {
      const r = deps.journal.get(id)
      if (r.state !== 'awaiting-new-key') throw new KeywardenError('conflict', 'This rotation is not waiting for a new key.')
      const old = keyById(r.keyId)
      const provider = providerOf(old)
      const recognised = recognise(value, deps.store.read().providers)
      if (recognised.kind && recognised.kind !== provider.kind) {
        throw new KeywardenError('invalid-input', `That is a ${recognised.label} key; paste the new ${provider.name} key.`)
      }
      if (fingerprint(value.trim()) === old.fingerprint) throw new KeywardenError('invalid-input', 'That is the old key. Create a new one in the dashboard and paste it.')
      const check = await deps.adapterFor(provider).validateKey(value.trim())
      if (!check.valid) throw new KeywardenError('provider-rejected', `${check.message} Paste the new key again.`)
      const at = stamp()
      await storeNewKey(r, value.trim(), {
        providerId: r.providerId,
        name: r.newName,
        prefix: maskSecret(value.trim()).slice(0, -1),
        createdAt: at,
        status: 'active',
        scopes: old.scopes
      })
      await advance(r, 'created', {}, `new key ${maskSecret(value.trim())} checked`)
      return run(id)
    },

    /** Dashboard-managed: the person says the old key is revoked; the service must agree. */
    async confirmRevoked(id: string): Promise<Rotation> {
      const r = deps.journal.get(id)
      if (r.state !== 'awaiting-revoke') throw new KeywardenError('conflict', 'This rotation is not waiting for the old key to be revoked.')
      const old = keyById(r.keyId)
      const oldValue = await deps.secrets.get(accounts.key(r.keyId))
      if (oldValue) {
        const check = await deps.adapterFor(providerOf(old)).validateKey(oldValue)
        if (check.valid) throw new KeywardenError('conflict', `${providerOf(old).name} still accepts the old key (${old.prefix}…). Revoke it in the dashboard, then confirm again.`)
      }
      await retireOldKey(r)
      return advance(r, 'done', {}, 'old key rejected by the service')
    },

    /** Puts every tool back on the old key; an API-created new key is revoked unless asked to keep it. */
    async rollback(id: string, options: { keepNewKey?: boolean } = {}): Promise<Rotation> {
      let r = deps.journal.get(id)
      if (r.state === 'done') throw new KeywardenError('conflict', 'This rotation is finished: the old key is revoked and cannot come back.')
      if (r.state === 'verified' || r.state === 'awaiting-revoke') {
        // The old key may already be gone at the service; check before moving tools back onto it.
        const oldValue = await deps.secrets.get(accounts.key(r.keyId))
        const old = keyById(r.keyId)
        if (!oldValue || !(await deps.adapterFor(providerOf(old)).validateKey(oldValue)).valid) {
          throw new KeywardenError('conflict', 'The old key no longer works, so rolling back would break your tools. Resume the rotation instead.')
        }
      }
      await restoreBindings(r)
      r = deps.journal.get(id)
      let outcome: Rotation['newKeyOutcome'] = r.newKeyOutcome ?? 'none'
      const newKey = deps.store.read().keys.find((k) => k.id === r.newKeyId)
      if (newKey && !options.keepNewKey && newKey.status !== 'revoked') {
        const adapter = deps.adapterFor(providerOf(keyById(r.keyId)))
        if (adapter.revokeKey && newKey.remoteId) {
          await revokeIdempotent(adapter, newKey.remoteId)
          await deps.store.update((d) => {
            const k = d.keys.find((x) => x.id === r.newKeyId)
            if (k) Object.assign(k, { status: 'revoked', inVault: false })
          })
          await deps.secrets.delete(accounts.key(r.newKeyId)).catch(() => false)
          outcome = 'revoked'
        } else {
          outcome = 'kept'
        }
      } else if (newKey) {
        outcome = newKey.status === 'revoked' ? 'revoked' : 'kept'
      } else if (r.state === 'creating' && r.mode === 'api') {
        // Interrupted while creating: the service may hold a key the vault never received.
        const adapter = deps.adapterFor(providerOf(keyById(r.keyId)))
        const orphan = (await adapter.listKeys?.())?.find((k) => k.name === r.newName)
        if (orphan) {
          await revokeIdempotent(adapter, orphan.remoteId)
          outcome = 'revoked'
        }
      }
      deps.emit?.({ type: 'keys.changed' })
      return r.state === 'rolled-back' ? deps.journal.save({ ...r, newKeyOutcome: outcome }) : advance(r, 'rolled-back', { newKeyOutcome: outcome }, 'rolled back by request')
    }
  }
}

export type RotationEngine = ReturnType<typeof createRotationEngine>
