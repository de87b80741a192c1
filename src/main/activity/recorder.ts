import type { KeyMeta } from '../../shared/schemas'
import { recordActivity, type RecordOptions } from './activity-log'
import { activityEvents, type ActivityDraft, type ConfigChange } from './events'

type KeyRef = Pick<KeyMeta, 'id' | 'name' | 'fingerprint'>

/** A change to a config file as the planner made it (mcp-config/plan.ts `Plan`). */
interface PlannedChange {
  location: { client: string; file: string }
  serverName: string
  summary: string
}

/**
 * How the window's and the command line's services record what they do: one call per event, in
 * the actor's name. A log that cannot be written (a full disk) never fails the action it
 * describes, so every call resolves.
 */
export function activityRecorder(dataDir: string, by: 'window' | 'cli', options: RecordOptions = {}) {
  const record = (draft: ActivityDraft): Promise<void> =>
    recordActivity(dataDir, { ...draft, by }, options).then(
      () => undefined,
      () => undefined
    )
  const configChange = (plan: PlannedChange, changeId: string): ConfigChange => ({
    id: changeId,
    file: plan.location.file,
    summary: plan.summary,
    client: plan.location.client,
    server: plan.serverName
  })
  return {
    record,
    /** A config file written from a plan: added, removed, rewritten by a rotation or a repair. */
    planWritten: (plan: PlannedChange, changeId: string) => record(activityEvents.configWrite(configChange(plan, changeId))),
    /** A change to a config file undone. */
    undone: (change: ConfigChange) => record(activityEvents.configUndo(change)),
    /** A rotation planned or moved to a new state; `key` is its old key, when the vault still lists it. */
    rotationStep: (rotation: { id: string; state: string; keyId: string }, key: KeyRef | undefined) =>
      record(activityEvents.rotationStep(rotation, key)),
    reveal: (key: KeyRef) => record(activityEvents.reveal(key)),
    copy: (key: KeyRef) => record(activityEvents.copy(key))
  }
}

export type ActivityRecorder = ReturnType<typeof activityRecorder>
