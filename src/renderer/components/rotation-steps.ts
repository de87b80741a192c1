import type { Rotation, RotationState } from '../../shared/schemas'

export type StepStatus = 'done' | 'current' | 'todo' | 'failed' | 'undone' | 'skipped'

export const STEPS: Array<{ states: RotationState[]; reached: RotationState; api: string; dashboard: string }> = [
  {
    states: ['planned', 'creating', 'awaiting-new-key'],
    reached: 'created',
    api: 'Create the new key (value to the keychain first)',
    dashboard: 'Create the new key in the dashboard and paste it here'
  },
  {
    states: ['created'],
    reached: 'bindings-updated',
    api: 'Update every client that uses the key',
    dashboard: 'Update every client that uses the key'
  },
  {
    states: ['bindings-updated'],
    reached: 'verified',
    api: 'Verify the new key with the service and each MCP server',
    dashboard: 'Verify the new key with the service and each MCP server'
  },
  {
    states: ['verified', 'awaiting-person', 'awaiting-revoke'],
    reached: 'done',
    api: 'Revoke the old key',
    dashboard: 'Revoke the old key in the dashboard; Keywarden checks it is rejected'
  }
]

/** Words for a step's outcome, read by screen readers and shown beside a rolled-back step. */
export const STATUS_WORDS: Record<StepStatus, string> = {
  done: 'done',
  current: 'in progress',
  todo: 'not started',
  failed: 'failed',
  undone: 'undone: clients put back on the old key',
  skipped: 'not done'
}

/**
 * Each step's real outcome, read from the rotation's history: after a rollback a step that ran
 * shows as done, undone or failed, and one that never ran as not done.
 */
export function stepStatuses(r: Rotation | undefined): StepStatus[] {
  if (!r) return STEPS.map(() => 'todo')
  if (r.state === 'done') return STEPS.map(() => 'done')
  const reached = new Set(r.history.map((h) => h.state))
  if (r.state === 'rolled-back' || r.state === 'rolling-back') {
    const created = reached.has('created')
    const verifyFailed =
      r.rollback?.cause === 'verification' || (r.state === 'rolled-back' && /verification failed/i.test(r.history.at(-1)?.note ?? ''))
    return [
      created ? 'done' : 'skipped',
      !created ? 'skipped' : r.state === 'rolling-back' ? (r.error ? 'failed' : 'current') : 'undone',
      verifyFailed ? 'failed' : reached.has('verified') ? 'done' : 'skipped',
      'skipped'
    ]
  }
  const at = STEPS.findIndex((step) => step.states.includes(r.state))
  return STEPS.map((_, i) => (i < at ? 'done' : i > at ? 'todo' : r.error ? 'failed' : 'current'))
}

const ENTRY_WORDS: Record<Rotation['bindings'][number]['status'], string> = {
  pending: 'waiting',
  updated: 'on the new key',
  restored: 'back on the old key',
  'needs-person': 'needs you',
  forgotten: 'entry gone, forgotten'
}

/** One line per client: where it stands in this rotation. */
export function entryWords(status: Rotation['bindings'][number]['status']): string {
  return ENTRY_WORDS[status]
}
