import { KeywardenError } from '../../shared/errors'
import type { Binding } from '../../shared/schemas'
import { NOT_FOUND, type VaultCore } from './vault'

export interface BindingRecords {
  list(): Binding[]
  find(id: string): Binding | undefined
  get(id: string): Binding
  ofKey(keyId: string): Binding[]
  /**
   * Throws when the key cannot take a new binding now (it is gone, or a rotation holds it); asked
   * before a config file is written, and again by `add`.
   */
  checkCanAdd(keyId: string): void
  add(binding: Binding): Promise<Binding>
  /** Forgets bindings (the entry was removed, or is gone from its file). */
  forget(ids: string[]): Promise<void>
  /** One entry rewritten in place (moved to the keychain): the new binding takes the old one's place, in one write. */
  replace(oldId: string, binding: Binding): Promise<Binding>
  /**
   * Records how entries keep their key now, after their file changed back (an undo): a rotation
   * then updates them as they really are. Only the placement changes.
   */
  setPlacements(placements: Map<string, Binding['placement']>): Promise<void>
  /**
   * The one way a binding changes key: `moved` now use `keyId` (which must be in the vault and not
   * revoked), and `gone` (entries no longer in their files) are forgotten, in one write.
   */
  reassign(keyId: string, moved: string[], gone?: string[]): Promise<void>
}

export function createBindingRecords(core: VaultCore): BindingRecords {
  function checkCanAdd(keyId: string): void {
    const key = core.key(core.data(), keyId)
    if (core.held(keyId)) {
      throw new KeywardenError(
        'conflict',
        `"${key.name}" is being rotated. Finish or roll back its rotation (Rotations page), then add it to this client; otherwise this client would be left on a key about to be revoked.`
      )
    }
  }
  return {
    list: () => core.data().bindings,
    find: (id) => core.data().bindings.find((b) => b.id === id),
    get(id) {
      const binding = core.data().bindings.find((b) => b.id === id)
      if (!binding) throw new KeywardenError('not-found', NOT_FOUND.binding)
      return binding
    },
    ofKey: (keyId) => core.data().bindings.filter((b) => b.keyId === keyId),
    checkCanAdd,

    async add(binding) {
      checkCanAdd(binding.keyId)
      return core.commit(['bindings.changed'], (d) => {
        core.key(d, binding.keyId)
        d.bindings.push(binding)
        return binding
      })
    },

    async forget(ids) {
      const drop = new Set(ids)
      if (!core.data().bindings.some((b) => drop.has(b.id))) return
      await core.commit(['bindings.changed'], (d) => {
        d.bindings = d.bindings.filter((b) => !drop.has(b.id))
      })
    },

    async replace(oldId, binding) {
      checkCanAdd(binding.keyId)
      return core.commit(['bindings.changed'], (d) => {
        core.key(d, binding.keyId)
        d.bindings = d.bindings.filter((b) => b.id !== oldId)
        d.bindings.push(binding)
        return binding
      })
    },

    async setPlacements(placements) {
      if (!core.data().bindings.some((b) => placements.has(b.id) && placements.get(b.id) !== b.placement)) return
      await core.commit(['bindings.changed'], (d) => {
        for (const b of d.bindings) {
          const placement = placements.get(b.id)
          if (placement) b.placement = placement
        }
      })
    },

    async reassign(keyId, moved, gone = []) {
      const move = new Set(moved)
      const drop = new Set(gone)
      const bindings = core.data().bindings
      if (!bindings.some((b) => drop.has(b.id) || (move.has(b.id) && b.keyId !== keyId))) return
      await core.commit(['bindings.changed'], (d) => {
        const key = core.key(d, keyId)
        if (key.status === 'revoked' && move.size)
          throw new KeywardenError('conflict', `"${key.name}" is revoked; no client can be moved onto it.`)
        d.bindings = d.bindings.filter((b) => !drop.has(b.id))
        for (const b of d.bindings) if (move.has(b.id)) b.keyId = keyId
      })
    }
  }
}
