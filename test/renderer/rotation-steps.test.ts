import { describe, expect, it } from 'vitest'
import { stepStatuses } from '../../src/renderer/components/rotation-steps'
import type { Rotation, RotationState } from '../../src/shared/schemas'

const at = '2026-01-01T00:00:00.000Z'
function rotation(states: RotationState[], patch: Partial<Rotation> = {}): Rotation {
  return {
    id: 'r',
    keyId: 'k',
    providerId: 'p',
    mode: 'api',
    state: states.at(-1)!,
    idempotencyToken: 'abcdef123456',
    newName: 'main · rotated abcdef123456',
    newKeyId: 'n',
    bindings: [],
    startedAt: at,
    updatedAt: at,
    history: states.map((state) => ({ state, at })),
    ...patch
  }
}

describe('rotation wizard steps', () => {
  it('after a failed verification: created, tools undone, verification failed, revoke not done', () => {
    const r = rotation(['planned', 'creating', 'created', 'bindings-updated', 'rolling-back', 'rolled-back'], {
      rollback: { cause: 'verification', reason: 'Verification failed: rejected' }
    })
    expect(stepStatuses(r)).toEqual(['done', 'undone', 'failed', 'skipped'])
  })

  it('rolled back on request before anything was created: nothing shows as done', () => {
    const r = rotation(['planned', 'creating', 'rolling-back', 'rolled-back'], {
      rollback: { cause: 'request', reason: 'rolled back by request' }
    })
    expect(stepStatuses(r)).toEqual(['skipped', 'skipped', 'skipped', 'skipped'])
  })

  it('a rollback still running, or stuck on a tool, shows the tools step as in progress or failed', () => {
    const states: RotationState[] = ['planned', 'creating', 'created', 'bindings-updated', 'rolling-back']
    expect(stepStatuses(rotation(states, { rollback: { cause: 'request', reason: 'x' } }))[1]).toBe('current')
    expect(stepStatuses(rotation(states, { rollback: { cause: 'request', reason: 'x' }, error: 'Cursor could not be put back' }))[1]).toBe(
      'failed'
    )
  })

  it('waiting for the person before the revoke: the first three steps are done', () => {
    expect(stepStatuses(rotation(['planned', 'creating', 'created', 'bindings-updated', 'verified', 'awaiting-person']))).toEqual([
      'done',
      'done',
      'done',
      'current'
    ])
  })

  it('a failed step shows as failed, later ones as not started', () => {
    expect(stepStatuses(rotation(['planned', 'creating'], { error: 'Lyceum had a server error' }))).toEqual([
      'failed',
      'todo',
      'todo',
      'todo'
    ])
  })
})
