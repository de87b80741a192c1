import type { Binding, KeyMeta } from '../../shared/schemas'
import type { ActivityInput } from './activity-log'

type KeyRef = Pick<KeyMeta, 'id' | 'name' | 'fingerprint'>
const keyOf = (key: KeyRef) => ({ id: key.id, name: key.name, fingerprint: key.fingerprint })

/** An event of the window or the command line: which of the two acted is added when it is written. */
export type ActivityDraft = Omit<ActivityInput, 'by'>

/** A change to a client's config file, as the shared planner describes it. */
export interface ConfigChange {
  id: string
  file: string
  summary: string
  client?: string
  server?: string
}

/**
 * The events each part of Keywarden records, built the same way everywhere. Where each is recorded:
 * - `keyRead(…, 'helper')`: cli/mcp-headers.ts, once the header is on stdout (activity/key-reads.ts);
 * - `keyRead(…, 'bridge')`: bridge/run-bridge.ts, on each keychain read (start, and again after a 401);
 * - `configWrite`: bindings-service apply, remove and rotation's writes (`inlineWriter`), the
 *   drift repair (findings-service `repair`);
 * - `configUndo`: bindings-service undo, and findings-service `undoSecure` for a secured entry;
 * - `rotationStep`: the rotation engine, when a rotation is planned and each time its state changes;
 * - `reveal` / `copy`: keys-service reveal and copy, once the value was handed over;
 * - `findings.secure` / `findings.redact`: findings-service secure, one per copy.
 * The window and the command line record through `activityRecorder`, which never fails the action.
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
  configWrite: (change: ConfigChange): ActivityDraft => ({
    kind: 'config.write',
    client: change.client,
    server: change.server,
    file: change.file,
    detail: `${change.summary.slice(0, 400)} (change ${change.id})`
  }),
  configUndo: (change: ConfigChange): ActivityDraft => ({
    kind: 'config.undo',
    client: change.client,
    server: change.server,
    file: change.file,
    detail: `undid ${change.summary.slice(0, 400)} (change ${change.id})`
  }),
  rotationStep: (rotation: { id: string; state: string; keyId: string }, key: KeyRef | undefined): ActivityDraft => ({
    kind: 'rotation.step',
    key: key ? keyOf(key) : { id: rotation.keyId },
    detail: `rotation ${rotation.id}: ${rotation.state}`
  }),
  reveal: (key: KeyRef): ActivityDraft => ({ kind: 'key.reveal', key: keyOf(key) }),
  copy: (key: KeyRef): ActivityDraft => ({ kind: 'key.copy', key: keyOf(key) })
}
