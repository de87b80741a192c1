import { randomBytes, randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Rotation, RotationState } from '../../shared/schemas'
import { requireRoomForKeys } from '../keys/key-limits'
import { outcomeOf } from '../providers/mcp-probe'
import { accounts } from '../vault/secret-store'
import { createKeyCreation } from './create'
import { createDashboardSteps } from './dashboard'
import { createRollback } from './rollback'
import { createRotationCore, revokeIdempotent, type RotationDeps } from './core'
import { createClientUpdates } from './client-updates'
import { createVerification } from './verify'

export type { BindingWriter, RotationDeps } from './core'

const FINISHED: RotationState[] = ['done', 'rolled-back']
/** States that wait for the person: a run stops on reaching one, and a resume steps it once. */
const WAITING: RotationState[] = ['awaiting-new-key', 'awaiting-person', 'awaiting-revoke']

/**
 * Guided rotation as a journaled state machine: planned → creating → created → bindings-updated →
 * verified → (awaiting-person) → done; dashboard-managed services wait for the person at
 * awaiting-new-key and awaiting-revoke, and a rollback goes through rolling-back. Every transition
 * is written to the journal before the step it announces runs, the new value reaches the keychain
 * before anything else happens to it, and the old key is revoked only after every binding points
 * at the new one and the new one is verified.
 */
export function createRotationEngine(deps: RotationDeps) {
  const core = createRotationCore(deps)
  const { advance, keyById, providerOf, adapterOf, bindingsOf, stamp, fail, retireKey } = core
  const create = createKeyCreation(deps, core)
  const clients = createClientUpdates(deps, core)
  const rollbacks = createRollback(deps, core, clients)
  const verify = createVerification(deps, core, (r, reason) => rollbacks.start(r, 'verification', reason))
  const dashboard = createDashboardSteps(deps, core, clients)

  // One operation per rotation at a time, and a key is reserved the moment a start is asked for:
  // the journal is written only after an await, which two quick starts would both get past.
  const chains = new Map<string, Promise<unknown>>()
  const starting = new Set<string>()
  function exclusive<T>(id: string, op: () => Promise<T>): Promise<T> {
    const fn = () => {
      core.forgetWritten()
      return op().finally(core.forgetWritten)
    }
    const run = (chains.get(id) ?? Promise.resolve()).then(fn, fn)
    const tail = run.catch(() => undefined)
    chains.set(id, tail)
    void tail.then(() => chains.get(id) === tail && chains.delete(id))
    return run
  }

  const unfinished = () => deps.journal.list().filter((r) => !FINISHED.includes(r.state))
  /** A key that must not gain bindings now: it is being rotated, or is the new key of a rotation. */
  const isRotating = (keyId: string) => starting.has(keyId) || deps.journal.holds(keyId)

  /** What a rotation of this key would do, without doing any of it. */
  function plan(keyId: string): Rotation {
    const key = keyById(keyId)
    const adapter = deps.adapterFor(providerOf(key))
    if (key.status === 'revoked') throw new KeywardenError('conflict', `"${key.name}" is already revoked; there is nothing to rotate.`)
    if (!key.inVault)
      throw new KeywardenError('conflict', `"${key.name}" is not in this vault, so its clients cannot be updated. Import it first.`)
    const mode = adapter.managesKeys && adapter.createKey ? 'api' : 'dashboard'
    if (mode === 'api' && !key.remoteId)
      throw new KeywardenError('conflict', `"${key.name}" is not linked to its service record yet; sync first.`)
    // The new key lives beside the old one until the end: it must fit a documented cap (Lynxo: 50).
    requireRoomForKeys(deps.vault.keys.list(), providerOf(key), 1)
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
  }

  async function revokeOld(r: Rotation): Promise<Rotation> {
    const key = keyById(r.keyId)
    clients.assertAllOnNewKey(r)
    const remoteId = key.status !== 'revoked' ? key.remoteId : undefined
    await retireKey(r.keyId, remoteId ? () => revokeIdempotent(adapterOf(r), remoteId) : undefined, 'Resume to update it first.')
    await core.handOverName(r)
    return advance(r, 'done', {}, `old key ${key.prefix}… revoked`)
  }

  async function step(r: Rotation): Promise<Rotation> {
    switch (r.state) {
      case 'planned':
        return r.mode === 'api' ? create(r, adapterOf(r)) : advance(r, 'awaiting-new-key')
      case 'creating':
        return create(r, adapterOf(r))
      case 'awaiting-new-key':
        // The keychain, not the journal flag, decides: a crash may fall between the two writes.
        return dashboard.checkSaved(r)
      case 'created':
        return clients.updateBindings(r)
      case 'bindings-updated':
        return verify(r, adapterOf(r))
      case 'verified': {
        const ready = await clients.beforeRevoke(r)
        if (ready !== 'ready') return ready
        return r.mode === 'dashboard' ? advance(r, 'awaiting-revoke') : revokeOld(r)
      }
      case 'awaiting-person': {
        const next = await clients.retryFiles(r)
        if (next.bindings.some((e) => e.status === 'needs-person')) return next
        return advance(next, 'bindings-updated', {}, 'every client is on the new key')
      }
      case 'rolling-back':
        return rollbacks.finish(r)
      default:
        return r
    }
  }

  /** Runs steps until the rotation is finished, waits for the person, or a step fails. */
  async function run(id: string): Promise<Rotation> {
    let r = deps.journal.get(id)
    let first = true
    while (!FINISHED.includes(r.state) && (first || !WAITING.includes(r.state))) {
      first = false
      let next: Rotation
      try {
        next = await step(r)
      } catch (error) {
        return fail(r, error)
      }
      if (next.state === r.state && next.updatedAt === r.updatedAt) break
      r = next
    }
    return deps.journal.get(id)
  }

  return {
    list: () => deps.journal.history(),
    unfinished,
    isRotating,

    plan,

    async start(keyId: string): Promise<Rotation> {
      if (isRotating(keyId))
        throw new KeywardenError('conflict', 'This key already has a rotation in progress: resume or roll it back first.')
      starting.add(keyId)
      let r: Rotation
      try {
        r = await deps.journal.save(plan(keyId))
      } finally {
        starting.delete(keyId)
      }
      await deps.activity?.rotationStep(r, deps.vault.keys.find(keyId))
      return exclusive(r.id, () => run(r.id))
    },

    resume: (id: string) => exclusive(id, () => run(id)),

    /** Dashboard-managed: the person pasted the key they created in the dashboard. */
    provideNewKey: (id: string, value: string) =>
      exclusive(id, async () => {
        const r = await dashboard.provideNewKey(deps.journal.get(id), value)
        return r.error ? r : run(id)
      }),

    /** Dashboard-managed: the person says the old key is revoked; the service must agree. */
    confirmRevoked: (id: string) =>
      exclusive(id, async () => {
        const r = await dashboard.confirmRevoked(deps.journal.get(id))
        return r === 'clients-changed' ? run(id) : r
      }),

    /** The person re-entered the new key where Keywarden cannot (VS Code's encrypted copy). */
    confirmEntered: (id: string) =>
      exclusive(id, async () => {
        const r = deps.journal.get(id)
        if (r.state !== 'awaiting-person') throw new KeywardenError('conflict', 'This rotation is not waiting for you.')
        await clients.confirmEntered(r)
        return run(id)
      }),

    /**
     * Puts every client back on the old key; an API-created new key is revoked unless asked to keep
     * it. On a rotation already rolled back, `keepNewKey: false` revokes a new key that was kept.
     */
    rollback: (id: string, options: { keepNewKey?: boolean } = {}) =>
      exclusive(id, async () => {
        const r = deps.journal.get(id)
        if (r.state === 'done')
          throw new KeywardenError('conflict', 'This rotation is finished: the old key is revoked and cannot come back.')
        if (r.state === 'rolled-back') return options.keepNewKey === false ? rollbacks.revokeKept(r) : r
        if (r.state === 'verified' || r.state === 'awaiting-revoke' || r.state === 'awaiting-person') {
          // The old key may already be gone at the service; check before moving clients back onto it.
          const oldValue = await deps.secrets.get(accounts.key(r.keyId))
          const check = oldValue ? await adapterOf(r).validateKey(oldValue) : undefined
          if (!check || outcomeOf(check) === 'rejected') {
            throw new KeywardenError(
              'conflict',
              'The old key no longer works, so rolling back would break your clients. Resume the rotation instead.'
            )
          }
          if (outcomeOf(check) === 'unreachable')
            throw new KeywardenError(
              'provider-unreachable',
              `Could not check that the old key still works: ${check.message} Try again when it answers.`
            )
        }
        if (r.state !== 'rolling-back') await rollbacks.start(r, 'request', 'rolled back by request', options.keepNewKey)
        else if (options.keepNewKey !== undefined) {
          await core.patch(r, {
            rollback: {
              cause: r.rollback?.cause ?? 'request',
              reason: r.rollback?.reason ?? 'rolled back by request',
              keepNewKey: options.keepNewKey
            }
          })
        }
        return run(id)
      })
  }
}

export type RotationEngine = ReturnType<typeof createRotationEngine>
