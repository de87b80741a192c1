import type { Binding, KeyMeta } from '../../shared/schemas'
import type { ActivityInput } from './activity-log'

type KeyRef = Pick<KeyMeta, 'id' | 'name' | 'fingerprint'>
const keyOf = (key: KeyRef) => ({ id: key.id, name: key.name, fingerprint: key.fingerprint })

/**
 * The events each part of Keywarden records, built the same way everywhere. Where each belongs:
 * - `keyRead(…, 'helper')`: cli/mcp-headers.ts, right after the keychain read, with
 *   `askingClient()` as the client and `{ mustNotContain: [value] }` as the record option;
 * - `keyRead(…, 'bridge')`: the bridge, on each keychain read (start, and the retry after a 401);
 * - `configWrite` / `configUndo`: bindings-service apply, remove and undo (the change's id);
 * - `rotationStep`: the rotation engine, each time the journal records a new state;
 * - `reveal` / `copy`: keys-service reveal and copy, after the value was handed over.
 * Recording never blocks the action it describes: callers `.catch(() => undefined)` it.
 */
export const activityEvents = {
  keyRead: (binding: Pick<Binding, 'id' | 'serverName'>, key: KeyRef, client: string, by: 'helper' | 'bridge'): ActivityInput => ({
    kind: 'key.read',
    by,
    key: keyOf(key),
    client,
    server: binding.serverName,
    detail: `binding ${binding.id}`
  }),
  configWrite: (change: { id: string; file: string; summary: string }, client: string, by: 'window' | 'cli'): ActivityInput => ({
    kind: 'config.write',
    by,
    client,
    file: change.file,
    detail: `${change.summary.slice(0, 400)} (change ${change.id})`
  }),
  configUndo: (change: { id: string; file: string; summary: string }, by: 'window' | 'cli'): ActivityInput => ({
    kind: 'config.undo',
    by,
    file: change.file,
    detail: `undid ${change.summary.slice(0, 400)} (change ${change.id})`
  }),
  rotationStep: (rotation: { id: string; state: string }, key: KeyRef, by: 'window' | 'cli'): ActivityInput => ({
    kind: 'rotation.step',
    by,
    key: keyOf(key),
    detail: `rotation ${rotation.id}: ${rotation.state}`
  }),
  reveal: (key: KeyRef, by: 'window' | 'cli'): ActivityInput => ({ kind: 'key.reveal', by, key: keyOf(key) }),
  copy: (key: KeyRef, by: 'window' | 'cli'): ActivityInput => ({ kind: 'key.copy', by, key: keyOf(key) })
}
