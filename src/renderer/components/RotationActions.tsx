import { useState, type ReactNode } from 'react'
import type { Rotation } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'

/**
 * What the person can do now, with exactly one primary action for each state of the rotation, and
 * "Copy new key" / "Open dashboard" wherever they have to act outside Keywarden.
 */
const WAITING_FOR_PERSON = new Set(['awaiting-new-key', 'awaiting-person', 'awaiting-revoke'])

export function RotationActions(props: {
  live?: Rotation
  plan?: Rotation
  busy: boolean
  dashboard: boolean
  providerName: string
  oldPrefix?: string
  act: (fn: () => Promise<Rotation>) => Promise<Rotation | undefined>
  start: () => Promise<unknown>
  copyNew: () => void
  openDashboard?: () => void
  onClose: () => void
}) {
  const { live, busy, act } = props
  const bindings = useApp((s) => s.bindings)
  const [pasted, setPasted] = useState('')
  const [askRollback, setAskRollback] = useState(false)
  const rollback = (keepNewKey?: boolean) =>
    void act(() => api['rotations.rollback']({ rotationId: live!.id, keepNewKey })).then((r) => r && setAskRollback(false))
  const unfinished = live && live.state !== 'done' && live.state !== 'rolled-back'
  const needsEntry = live?.bindings.some(
    (e) => e.status === 'needs-person' && bindings.find((b) => b.id === e.bindingId)?.placement === 'input'
  )

  let body: ReactNode = null
  let primary: ReactNode = null
  const secondary: ReactNode[] = []
  const dashboardButton = props.openDashboard && (
    <button key="dash" onClick={props.openDashboard}>
      Open {props.providerName} dashboard
    </button>
  )

  if (!live && props.plan) {
    primary = (
      // Appears once the plan has loaded, after the dialog took focus: it takes focus itself.
      <button className="primary" autoFocus disabled={busy} aria-busy={busy} onClick={() => void props.start()}>
        {busy ? 'Rotating…' : 'Start rotation'}
      </button>
    )
  } else if (live?.state === 'awaiting-new-key') {
    body = (
      <div className="form">
        <label>
          Paste the new key you created in the {props.providerName} dashboard
          <input type="password" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.target.value)} data-autofocus />
        </label>
        {live.newValueSaved && (
          <p className="hint">The key you pasted is saved in your keychain; Resume checks it again, or paste another.</p>
        )}
      </div>
    )
    if (dashboardButton) secondary.push(dashboardButton)
    primary =
      live.newValueSaved && !pasted.trim() ? (
        <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.resume']({ rotationId: live.id }))}>
          Resume
        </button>
      ) : (
        <button
          className="primary"
          disabled={busy || pasted.trim().length < 8}
          onClick={() =>
            void act(() => api['rotations.provideNewKey']({ rotationId: live.id, value: pasted.trim() })).then((res) => {
              // Only once the key is accepted: on any failure the person keeps what they pasted.
              if (res && res.state !== 'awaiting-new-key') setPasted('')
            })
          }
        >
          Check and continue
        </button>
      )
  } else if (live?.state === 'awaiting-person') {
    body = (
      <div className="hint warn" role="group" aria-label="Before the old key is revoked">
        The old key still works and is not revoked yet.{' '}
        {needsEntry &&
          `VS Code keeps its copy of the key encrypted, so Keywarden cannot change it: when VS Code asks for the ${props.providerName} key, paste the new one (Copy new key below), then confirm here. `}
        {live.bindings.some((e) => e.status === 'needs-person' && !needsEntry) && 'Fix the clients listed above, then choose Resume.'}
      </div>
    )
    secondary.push(
      <button key="copy" onClick={props.copyNew}>
        Copy new key
      </button>
    )
    primary = needsEntry ? (
      <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.confirmEntered']({ rotationId: live.id }))}>
        I re-entered the new key — continue
      </button>
    ) : (
      <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.resume']({ rotationId: live.id }))}>
        Resume
      </button>
    )
  } else if (live?.state === 'awaiting-revoke') {
    body = (
      <p>
        The new key works everywhere. Now revoke the old key ({props.oldPrefix}…) in the dashboard; Keywarden then checks it is rejected.
      </p>
    )
    if (dashboardButton) secondary.push(dashboardButton)
    secondary.push(
      <button key="copy" onClick={props.copyNew}>
        Copy new key
      </button>
    )
    primary = (
      <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.confirmRevoked']({ rotationId: live.id }))}>
        I revoked it — check
      </button>
    )
  } else if (live?.state === 'done') {
    body = <p className="hint">Done. The old key is revoked; every client uses the new one, under the old key&apos;s name.</p>
    primary = (
      <button className="primary" autoFocus onClick={props.onClose}>
        Done
      </button>
    )
  } else if (live?.state === 'rolled-back') {
    body = (
      <div className="hint warn">
        Rolled back: your clients use the old key again, which still works. {live.newKeyOutcome === 'revoked' && 'The new key was revoked.'}
        {live.newKeyOutcome === 'kept' &&
          (props.dashboard
            ? `The new key was kept in Keywarden; if you do not need it, revoke it in the ${props.providerName} dashboard, then delete it from the key list.`
            : 'The new key was kept; revoke it here if you do not need it.')}
      </div>
    )
    if (live.newKeyOutcome === 'kept' && !props.dashboard)
      secondary.push(
        <button key="revoke-new" disabled={busy} onClick={() => rollback(false)}>
          Revoke the new key
        </button>
      )
    primary = (
      <button className="primary" onClick={props.onClose}>
        Done
      </button>
    )
  } else if (live) {
    const running = !live.error && busy
    if (running && live.state !== 'rolling-back') body = <p className="hint">Rotating… you can close this window; the rotation goes on.</p>
    else if (live.state === 'rolling-back' && !live.error) body = <p className="hint">Putting your clients back on the old key…</p>
    // While it runs the one action is the running one: nothing to resume or roll back yet.
    primary = running ? (
      <button className="primary" disabled aria-busy>
        {live.state === 'rolling-back' ? 'Rolling back…' : 'Rotating…'}
      </button>
    ) : (
      <button className="primary" onClick={() => void act(() => api['rotations.resume']({ rotationId: live.id }))}>
        {live.state === 'rolling-back' ? 'Finish rolling back' : 'Resume'}
      </button>
    )
  }
  if (unfinished && live.state !== 'rolling-back' && !askRollback && !(busy && !live.error && !WAITING_FOR_PERSON.has(live.state)))
    secondary.push(
      <button key="rollback" disabled={busy} onClick={() => setAskRollback(true)}>
        Roll back
      </button>
    )

  return (
    <>
      {(body || askRollback) && (
        <div className="dialog-body">
          {askRollback && live ? (
            <div className="form" role="group" aria-label="Roll back">
              <p>
                Rolling back puts every client back on the old key, which keeps working, and stops this rotation.{' '}
                {props.dashboard
                  ? `The new key stays in the ${props.providerName} dashboard; Keywarden keeps it in the key list for you to decide.`
                  : 'What should happen to the new key?'}
              </p>
              <div className="actions">
                {props.dashboard ? (
                  <button className="primary" disabled={busy} onClick={() => rollback(true)}>
                    Roll back
                  </button>
                ) : (
                  <>
                    <button className="primary" disabled={busy} onClick={() => rollback(false)}>
                      Roll back and revoke the new key
                    </button>
                    <button disabled={busy} onClick={() => rollback(true)}>
                      Roll back and keep the new key
                    </button>
                  </>
                )}
                <button disabled={busy} onClick={() => setAskRollback(false)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            body
          )}
        </div>
      )}
      <footer className="dialog-foot">
        {secondary}
        {live?.state !== 'done' && live?.state !== 'rolled-back' && <button onClick={props.onClose}>Close</button>}
        {!askRollback && primary}
      </footer>
    </>
  )
}
