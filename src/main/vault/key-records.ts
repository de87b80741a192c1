import { KeywardenError } from '../../shared/errors'
import type { KeyMeta, KeyStatus } from '../../shared/schemas'
import { namesOf, NOT_FOUND, type VaultCore } from './vault'
import { stillUsedAdvice } from './removal-words'
import type { VaultData } from './metadata-store'

export interface KeyRecords {
  list(): KeyMeta[]
  find(id: string): KeyMeta | undefined
  /** The key, or a not-found error a person understands. */
  get(id: string): KeyMeta
  ofProvider(providerId: string): KeyMeta[]
  withFingerprint(fingerprint: string): KeyMeta | undefined
  /** Fingerprints of every key value the vault has seen: what redaction masks by value. */
  fingerprints(): ReadonlySet<string>
  /** A new key (created, or imported with its value); a value already in the vault is refused. */
  add(key: KeyMeta): Promise<KeyMeta>
  /** A key the service listed as "not in this vault" gets its value (pasted by the person). */
  fillValue(id: string, value: { fingerprint: string; scopes?: string[] }): Promise<KeyMeta>
  /**
   * A rotation's new key, its value just saved in the keychain: it takes the place of any "not in
   * this vault" row a sync made for the same service record, and completes a row of its id.
   */
  settleNew(key: Omit<KeyMeta, 'addedAt'> & { addedAt?: string }): Promise<void>
  setStatus(id: string, status: KeyStatus): Promise<KeyMeta>
  /** Throws what `remove` would refuse; `withItsEntries` when the caller removes the clients' entries first. */
  checkCanRemove(id: string, options?: { withItsEntries?: boolean }): void
  /**
   * What the person says of a key in this vault only: a name given here (kept through syncs),
   * notes and tags. Absent fields stay as they are; an empty note or tag list clears it.
   */
  describe(id: string, change: { name?: string; notes?: string; tags?: string[] }): Promise<KeyMeta>
  /** At the end of a rotation the new key takes the old key's place: its name, notes and tags. */
  handOver(fromId: string, toId: string): Promise<void>
  /**
   * The service was asked about the key; `dead` when its answer proves the key revoked. A key a
   * rotation holds is only stamped as checked (`kept`): the rotation settles its status.
   */
  recordCheck(id: string, check: { at: Date; dead: boolean }): Promise<{ key: KeyMeta; kept: boolean }>
  /**
   * A dashboard-managed provider's keys were checked one by one (`synced`: all of them answered).
   * Returns the dead keys a rotation holds, left as they were.
   */
  recordChecks(providerId: string, checks: { checked: string[]; dead: string[]; at: Date; synced: boolean }): Promise<KeyMeta[]>
  /**
   * Brings one provider's keys in line with the service's list through `merge` (a pure function of
   * the current keys), and marks the provider synced. Keys a rotation holds and keys bindings use
   * come through unchanged or at least present. Says whether any key changed, and which keys a
   * rotation holds the listing would have changed (`seen`: the merged record, or none when the
   * service no longer lists the key).
   */
  applyListing(
    providerId: string,
    merge: (keys: KeyMeta[]) => KeyMeta[],
    at: Date
  ): Promise<{ changed: boolean; held: Array<{ key: KeyMeta; seen?: KeyMeta }> }>
  /**
   * Revokes a key: `atService` (the request to its service) runs only once the rules allow it,
   * then the key is recorded as revoked. Keywarden never revokes a key that bindings use on its
   * own; `evenIfUsed` is for the person's explicit revoke after being told which clients use it.
   */
  revoke(id: string, options?: { atService?: () => Promise<void>; evenIfUsed?: boolean; hint?: string }): Promise<KeyMeta>
  /** Forgets a key; refused while bindings use it or a rotation holds it. */
  remove(id: string): Promise<void>
}

/** A sync that changed nothing still records its time at least this often. */
const SYNC_STAMP_EVERY_MS = 10 * 60 * 1000

export function createKeyRecords(core: VaultCore): KeyRecords {
  const fingerprintsOf = new WeakMap<KeyMeta[], ReadonlySet<string>>()
  const users = (keyId: string) => core.data().bindings.filter((b) => b.keyId === keyId)
  const patch = (id: string, change: Partial<KeyMeta>) =>
    core.commit(['keys.changed'], (d) => {
      const key = core.key(d, id)
      Object.assign(key, change)
      return { ...key }
    })

  return {
    list: () => core.data().keys,
    find: (id) => core.data().keys.find((k) => k.id === id),
    get: (id) => core.key(core.data(), id),
    ofProvider: (providerId) => core.data().keys.filter((k) => k.providerId === providerId),
    withFingerprint: (fp) => core.data().keys.find((k) => k.fingerprint === fp),
    fingerprints() {
      const keys = core.data().keys
      let set = fingerprintsOf.get(keys)
      if (!set) {
        set = new Set(keys.flatMap((k) => (k.fingerprint ? [k.fingerprint] : [])))
        fingerprintsOf.set(keys, set)
      }
      return set
    },

    add: (key) =>
      core.commit(['keys.changed'], (d) => {
        core.provider(d, key.providerId)
        const same = key.fingerprint ? d.keys.find((k) => k.fingerprint === key.fingerprint) : undefined
        if (same) throw new KeywardenError('conflict', `This key is already in the vault as "${same.name}".`)
        if (d.keys.some((k) => k.id === key.id)) throw new KeywardenError('conflict', 'A key with that id is already in the vault.')
        d.keys.push(key)
        return key
      }),

    fillValue: (id, value) =>
      core.commit(['keys.changed'], (d) => {
        const key = d.keys.find((k) => k.id === id)
        if (!key) throw new KeywardenError('conflict', 'The key list changed while importing; try again.')
        Object.assign(key, { inVault: true, fingerprint: value.fingerprint, scopes: value.scopes ?? key.scopes })
        return { ...key }
      }),

    settleNew: (key) =>
      core.commit(['keys.changed'], (d) => {
        d.keys = d.keys.filter(
          (k) =>
            k.id === key.id ||
            !(
              k.providerId === key.providerId &&
              ((key.remoteId && k.remoteId === key.remoteId) || (!k.inVault && key.fingerprint && k.fingerprint === key.fingerprint))
            )
        )
        const existing = d.keys.find((k) => k.id === key.id)
        if (existing) Object.assign(existing, { remoteId: existing.remoteId ?? key.remoteId, fingerprint: key.fingerprint, inVault: true })
        else d.keys.push({ ...key, inVault: true, addedAt: key.addedAt ?? core.now().toISOString() })
      }),

    setStatus: (id, status) => patch(id, { status }),

    describe(id, change) {
      const key = core.key(core.data(), id)
      const next: Partial<KeyMeta> = {}
      if (change.name !== undefined && change.name.trim() !== key.name) Object.assign(next, { name: change.name.trim(), namedHere: true })
      if (change.notes !== undefined) next.notes = change.notes.trim() || undefined
      if (change.tags !== undefined) {
        const tags = [...new Set(change.tags.map((t) => t.trim()).filter(Boolean))]
        next.tags = tags.length ? tags : undefined
      }
      return patch(id, next)
    },

    async handOver(fromId, toId) {
      await core.commit(['keys.changed'], (d) => {
        const old = d.keys.find((k) => k.id === fromId)
        const successor = d.keys.find((k) => k.id === toId)
        if (!old || !successor) return
        Object.assign(successor, { name: old.name, namedHere: true, notes: old.notes, tags: old.tags })
      })
    },

    async recordCheck(id, { at, dead }) {
      // A key a rotation holds is the rotation's to settle: what the service said is reported, not recorded.
      const kept = dead && core.held(id)
      const key = await patch(id, {
        checkedAt: at.toISOString(),
        ...(dead && !kept ? { status: 'revoked' as const, goneFromService: true } : {})
      })
      return { key, kept }
    },

    recordChecks: (providerId, { checked, dead, at, synced }) =>
      core.commit(['keys.changed', 'providers.changed'], (d) => {
        const wasChecked = new Set(checked)
        const isDead = new Set(dead)
        const kept: KeyMeta[] = []
        for (const k of d.keys) {
          if (!wasChecked.has(k.id)) continue
          // A key a rotation holds is the rotation's to settle.
          if (core.held(k.id)) {
            if (isDead.has(k.id)) kept.push({ ...k })
            continue
          }
          k.checkedAt = at.toISOString()
          if (isDead.has(k.id)) Object.assign(k, { status: 'revoked', goneFromService: true })
        }
        const p = d.providers.find((x) => x.id === providerId)
        if (p && synced) p.sync = { lastSyncedAt: at.toISOString() }
        return kept
      }),

    async applyListing(providerId, merge, at) {
      const markSynced = (d: { providers: { id: string; sync: object }[] }) => {
        const p = d.providers.find((x) => x.id === providerId)
        if (p) p.sync = { lastSyncedAt: at.toISOString() }
      }
      let held: Array<{ key: KeyMeta; seen?: KeyMeta }> = []
      const guarded = (keys: KeyMeta[]) => {
        const merged = merge(keys)
        held = heldChanges(keys, merged, core.held)
        return keepGuarded(keys, merged, { held: (id) => core.held(id), used: (id) => users(id).length > 0 })
      }
      const current = core.data().keys
      // Merging returns the same objects for unchanged keys: most syncs write nothing. The time of
      // the sync is written now and then, and always when it clears an error or is the first, so
      // a command-line sync (a process that ends) and the next start see it.
      const sync = core.data().providers.find((p) => p.id === providerId)?.sync
      const recent = sync?.lastSyncedAt && !sync.error && at.getTime() - Date.parse(sync.lastSyncedAt) < SYNC_STAMP_EVERY_MS
      if (sameKeys(current, guarded(current))) {
        if (recent) core.touch(['providers.changed'], markSynced)
        else await core.commit(['providers.changed'], markSynced)
        return { changed: false, held }
      }
      await core.commit(['keys.changed', 'providers.changed'], (d) => {
        d.keys = guarded(d.keys)
        markSynced(d)
      })
      return { changed: true, held }
    },

    async revoke(id, options = {}) {
      const key = core.key(core.data(), id)
      const using = users(id)
      if (using.length && !options.evenIfUsed) {
        throw new KeywardenError(
          'conflict',
          `Not revoking "${key.name}": ${namesOf(core, using)} would still use it.${options.hint ? ` ${options.hint}` : ''}`
        )
      }
      await options.atService?.()
      return patch(id, { status: 'revoked', inVault: false })
    },

    checkCanRemove: (id, options = {}) => checkCanRemove(core, core.data(), id, options),

    async remove(id) {
      await core.commit(['keys.changed'], (d) => {
        checkCanRemove(core, d, id)
        d.keys = d.keys.filter((k) => k.id !== id)
      })
    }
  }
}

/**
 * A key leaves the vault only when nothing needs it: no rotation holds it, and no client entry
 * asks for it (unless the caller removes those entries first, `withItsEntries`).
 */
function checkCanRemove(core: VaultCore, d: VaultData, id: string, options: { withItsEntries?: boolean } = {}): void {
  const key = d.keys.find((k) => k.id === id)
  if (!key) throw new KeywardenError('not-found', NOT_FOUND.key)
  if (core.held(id))
    throw new KeywardenError(
      'conflict',
      `"${key.name}" is being rotated. Finish or roll back its rotation (Rotations page) before removing it from the vault.`
    )
  const using = d.bindings.filter((b) => b.keyId === id)
  if (using.length && !options.withItsEntries)
    throw new KeywardenError('conflict', `"${key.name}" is still used by ${namesOf(core, using)}. ${stillUsedAdvice(using.length)}`)
}

/**
 * The merged list with the rules applied: a key a rotation holds stays exactly as it was (the
 * rotation settles it), and a key that clients use is never dropped — but what the service says of
 * it (usage, expiry, a revocation elsewhere) comes through, so the person sees it. Merging keeps the
 * same object for an unchanged key, so only keys it changed or dropped are asked about.
 */
function keepGuarded(
  before: KeyMeta[],
  after: KeyMeta[],
  rules: { held: (id: string) => boolean; used: (id: string) => boolean }
): KeyMeta[] {
  const kept = new Set(after)
  const ids = new Set(after.map((k) => k.id))
  const previous = new Map<string, KeyMeta>()
  for (const k of before) {
    if (kept.has(k)) continue
    if (rules.held(k.id) || (!ids.has(k.id) && rules.used(k.id))) previous.set(k.id, k)
  }
  if (previous.size === 0) return after
  const out = after.map((k) => previous.get(k.id) ?? k)
  const present = new Set(out.map((k) => k.id))
  for (const k of previous.values()) if (!present.has(k.id)) out.push(k)
  return out
}

/** Keys a rotation holds that a merge changed or dropped, with what the merge made of each. */
function heldChanges(before: KeyMeta[], after: KeyMeta[], held: (id: string) => boolean): Array<{ key: KeyMeta; seen?: KeyMeta }> {
  const kept = new Set(after)
  const changed = before.filter((k) => !kept.has(k) && held(k.id))
  if (changed.length === 0) return []
  const byId = new Map(after.map((k) => [k.id, k]))
  return changed.map((key) => ({ key, seen: byId.get(key.id) }))
}

function sameKeys(a: KeyMeta[], b: KeyMeta[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
