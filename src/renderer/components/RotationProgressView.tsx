import type { RotationProgress } from '../../shared/contract'
import type { Rotation } from '../../shared/schemas'
import { useApp, whereBound } from '../stores/app-store'
import { STATUS_WORDS, STEPS, entryWords, stepStatuses, type StepStatus } from './rotation-steps'

const LIVE_WORDS: Record<NonNullable<RotationProgress['bindingStatus']>, string> = {
  working: 'updating…',
  updated: 'on the new key',
  restored: 'back on the old key',
  'needs-person': 'needs you',
  forgotten: 'entry gone, forgotten',
  accepted: 'accepted the new key',
  rejected: 'rejected the new key',
  unreachable: 'could not be reached'
}

/**
 * The steps, each client's update and what is happening now, as the rotation streams it: the
 * journal says where the rotation stands, the progress events fill in what happens in between.
 */
export function RotationProgressView(props: { rotation?: Rotation; events: RotationProgress[]; running: boolean; dashboard: boolean }) {
  const { bindings, clients } = useApp()
  const last = props.events.at(-1)
  // A progress event may be newer than the journal the window last read.
  const live =
    props.rotation && last && last.state !== props.rotation.state && !props.rotation.error
      ? { ...props.rotation, state: last.state }
      : props.rotation
  const statuses = props.running && !live ? STEPS.map((_, i): StepStatus => (i === 0 ? 'current' : 'todo')) : stepStatuses(live)
  const latest = new Map<string, RotationProgress>()
  for (const e of props.events) if (e.bindingId) latest.set(e.bindingId, e)
  const entries = props.rotation?.bindings ?? []
  const log = props.events.filter((e) => !e.bindingStatus || e.bindingStatus !== 'working').slice(-5)
  return (
    <>
      <ol className="steps" aria-label="Rotation steps">
        {STEPS.map((s, i) => {
          const st = statuses[i]!
          const shown = st === 'undone' || st === 'skipped' ? 'todo' : st
          return (
            <li key={i} className={`step ${shown}`} aria-current={st === 'current' ? 'step' : undefined}>
              <span className="dot" aria-hidden="true" />
              {props.dashboard ? s.dashboard : s.api}
              {st === 'undone' || st === 'skipped' ? (
                <span className="muted small"> — {STATUS_WORDS[st]}</span>
              ) : (
                <span className="sr-only"> — {STATUS_WORDS[st]}</span>
              )}
            </li>
          )
        })}
      </ol>
      {entries.length > 0 && (
        <ul className="tool-progress" aria-label="Clients">
          {entries.map((e) => {
            const b = bindings.find((x) => x.id === e.bindingId)
            const now = latest.get(e.bindingId)
            // The journal's word once it has caught up; the stream's word while it has not.
            const word = e.status !== 'pending' || !now?.bindingStatus ? entryWords(e.status) : LIVE_WORDS[now.bindingStatus]
            return (
              <li key={e.bindingId} className="small">
                {b ? `${whereBound(clients, b)}: ${b.serverName}` : 'A client no longer recorded'}: <strong>{word}</strong>
                {e.message && <span className="muted"> — {e.message}</span>}
              </li>
            )
          })}
        </ul>
      )}
      {(props.running || log.length > 0) && (
        <ol className="live-log" aria-label="Progress" aria-live="polite">
          {props.running && log.length === 0 && <li>Starting…</li>}
          {log.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ol>
      )}
    </>
  )
}
