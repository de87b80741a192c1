import { KeywardenError } from '../../shared/errors'
import type { Binding } from '../../shared/schemas'
import { describeClient } from '../mcp-config/clients'
import type { ChangeRecord, UndoData } from '../mcp-config/files/backups'
import type { Vault } from '../vault/vault'

/** Placements whose entry asks Keywarden for its binding's key each time its client connects. */
const ASKS_KEYWARDEN = new Set<Binding['placement']>(['helper', 'bridge'])

const BOUND_ID = /mcp-(?:headers|bridge)\W+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g

/**
 * The bindings an undo must record again: those whose entries the change removed and the undo puts
 * back. A helper or bridge entry finds its key through its binding, so one that would come back
 * with no binding, or with a key the vault no longer has (removed, revoked), is refused before the
 * file is touched; so is any other entry whose key is gone, which nothing would keep track of or
 * rotate. `asBefore` (undoing a key removal) takes a revoked key back
 * with its entries, as they were a moment ago.
 */
export function bindingsToRecordAgain(
  vault: Vault,
  change: ChangeRecord,
  data: UndoData | undefined,
  options: { asBefore?: boolean } = {}
): Binding[] {
  const recorded = new Map((data?.bindings ?? []).map((b) => [b.id, b]))
  const back: Binding[] = []
  for (const b of recorded.values()) {
    if (vault.bindings.find(b.id)) continue
    const key = vault.keys.find(b.keyId)
    if (key && (key.status !== 'revoked' || options.asBefore)) {
      vault.bindings.checkCanAdd(b.keyId)
      back.push(b)
    } else {
      const gone = key ? `its key "${key.name}" is revoked` : 'its key was removed from the vault'
      throw refusal(
        change,
        ASKS_KEYWARDEN.has(b.placement)
          ? `"${b.serverName}" asks Keywarden for its key each time ${describeClient(b.client).label} connects, but ${gone}, so the client would get no key`
          : `"${b.serverName}" would come back ${b.placement === 'inline' ? 'with a key in plain text' : 'naming a key'} that Keywarden no longer keeps (${gone}), so no rotation would ever reach it`
      )
    }
  }
  // Changes recorded before bindings were kept with them: a helper or bridge entry they would put
  // back must still be one the vault knows.
  for (const step of data?.steps ?? []) {
    for (const id of boundIdsIn(step.before)) {
      if (recorded.has(id) || vault.bindings.find(id)) continue
      throw refusal(
        change,
        `the entry it puts back asks Keywarden for the key of a binding (${id.slice(0, 8)}) the vault no longer has, so the client would get no key`
      )
    }
  }
  return back
}

function refusal(change: ChangeRecord, why: string): KeywardenError {
  return new KeywardenError(
    'conflict',
    `Undoing "${change.summary}" would put back an entry in ${change.file} that cannot work: ${why}. Nothing was changed; add a key to that client again from Keywarden (Keys → Add to…).`
  )
}

/** The binding ids a helper or bridge entry (or anything holding one) runs Keywarden for. */
function boundIdsIn(value: unknown): string[] {
  if (value === undefined) return []
  return [...new Set([...JSON.stringify(value).matchAll(BOUND_ID)].map((m) => m[1]!))]
}
