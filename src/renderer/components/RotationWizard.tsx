import { useEffect, useState } from 'react'
import type { Binding, KeyMeta, Rotation } from '../../shared/schemas'
import { api } from '../api'
import { useApp, whereBound, type ClientListing } from '../stores/app-store'
import { Dialog } from './Dialog'
import { STATUS_WORDS, STEPS, entryWords, stepStatuses } from './rotation-steps'

const toolName = (clients: ClientListing[], b: Binding | undefined) =>
  b ? `${whereBound(clients, b)}: ${b.serverName}` : 'A tool no longer recorded'

/** Guided rotation: one confirm for API-managed services, a few guided steps for dashboard ones. */
export function RotationWizard(props: { keyMeta?: KeyMeta; rotationId?: string; onClose: () => void }) {
  const { rotations, providers, bindings, clients, attempt, notify } = useApp()
  const [plan, setPlan] = useState<Rotation>()
  const [id, setId] = useState(
    props.rotationId ?? rotations.find((r) => r.keyId === props.keyMeta?.id && r.state !== 'done' && r.state !== 'rolled-back')?.id
  )
  const [busy, setBusy] = useState(false)
  const [pasted, setPasted] = useState('')
  const [askRollback, setAskRollback] = useState(false)
  const live = rotations.find((r) => r.id === id)
  const r = live ?? plan
  const provider = providers.find((p) => p.id === r?.providerId)
  const dashboardUrl = provider?.dashboardUrl ?? useApp.getState().catalog.find((c) => c.kind === provider?.kind)?.dashboardUrl

  useEffect(() => {
    if (!id && props.keyMeta) void attempt(() => api['rotations.plan']({ keyId: props.keyMeta!.id })).then(setPlan)
  }, [id, props.keyMeta, attempt])

  const act = async (fn: () => Promise<Rotation>): Promise<Rotation | undefined> => {
    setBusy(true)
    const result = await attempt(fn)
    setBusy(false)
    if (result) {
      setId(result.id)
      setAskRollback(false)
      await useApp.getState().loadRotations()
      if (result.state === 'done') notify('success', 'Rotation finished: every tool uses the new key and the old one is revoked.')
    }
    return result
  }
  const rollback = (keepNewKey?: boolean) => void act(() => api['rotations.rollback']({ rotationId: live!.id, keepNewKey }))

  const keyBindings = bindings.filter((b) => b.keyId === (r?.keyId ?? props.keyMeta?.id) || b.keyId === r?.newKeyId)
  const unfinished = r && live && r.state !== 'done' && r.state !== 'rolled-back'
  const statuses = stepStatuses(live)
  const dashboard = r?.mode === 'dashboard'
  const needsEntry = live?.bindings.some(
    (e) => e.status === 'needs-person' && bindings.find((b) => b.id === e.bindingId)?.placement === 'input'
  )
  const canResume = unfinished && live.state !== 'awaiting-revoke' && (live.state !== 'awaiting-new-key' || live.newValueSaved)

  return (
    <Dialog title={`Rotate ${props.keyMeta ? `"${props.keyMeta.name}"` : 'key'}`} onClose={props.onClose} wide>
      <div className="dialog-body">
        {r && (
          <p className="muted">
            {dashboard
              ? `${provider?.name} keys are created and revoked in its dashboard: Keywarden guides you through it.`
              : 'Fully automatic after you start it.'}{' '}
            {keyBindings.length} tool config{keyBindings.length === 1 ? '' : 's'} will be updated.
          </p>
        )}
        <ol className="steps" aria-label="Rotation steps">
          {STEPS.map((s, i) => {
            const st = statuses[i]!
            const shown = st === 'undone' || st === 'skipped' ? 'todo' : st
            return (
              <li key={i} className={`step ${shown}`} aria-current={st === 'current' ? 'step' : undefined}>
                <span className="dot" aria-hidden="true" />
                {dashboard ? s.dashboard : s.api}
                {st === 'undone' || st === 'skipped' ? (
                  <span className="muted small"> — {STATUS_WORDS[st]}</span>
                ) : (
                  <span className="sr-only"> — {STATUS_WORDS[st]}</span>
                )}
              </li>
            )
          })}
        </ol>
        {live && live.bindings.length > 0 && (
          <ul className="tool-progress" aria-label="Tools">
            {live.bindings.map((e) => (
              <li key={e.bindingId} className="small">
                {toolName(
                  clients,
                  bindings.find((b) => b.id === e.bindingId)
                )}
                : <strong>{entryWords(e.status)}</strong>
                {e.message && <span className="muted"> — {e.message}</span>}
              </li>
            ))}
          </ul>
        )}
        {live?.state === 'awaiting-person' && (
          <div className="form" role="group" aria-label="Before the old key is revoked">
            <p className="hint warn">
              The old key still works and is not revoked yet.{' '}
              {needsEntry &&
                `VS Code keeps its copy of the key encrypted, so Keywarden cannot change it: when VS Code asks for the ${provider?.name ?? ''} key, paste the new one (copy it from the key list), then confirm here. `}
              {live.bindings.some((e) => e.status === 'needs-person' && !needsEntry) && 'Fix the tools listed above, then choose Resume.'}
            </p>
            {needsEntry && (
              <button
                className="primary"
                disabled={busy}
                onClick={() => void act(() => api['rotations.confirmEntered']({ rotationId: live.id }))}
              >
                I re-entered the new key — continue
              </button>
            )}
          </div>
        )}
        {live?.state === 'rolling-back' && !live.error && <p className="hint">Putting your tools back on the old key…</p>}
        {live?.state === 'done' && <p className="hint">Done. The old key is revoked; every tool uses the new one.</p>}
        {live?.state === 'rolled-back' && (
          <div className="hint warn">
            <p>
              Rolled back: your tools use the old key again, which still works.{' '}
              {live.newKeyOutcome === 'revoked' && 'The new key was revoked.'}
              {live.newKeyOutcome === 'kept' &&
                (dashboard
                  ? `The new key was kept in Keywarden; if you do not need it, revoke it in the ${provider?.name ?? 'service'} dashboard, then delete it from the key list.`
                  : 'The new key was kept; revoke it here if you do not need it.')}
            </p>
            {live.newKeyOutcome === 'kept' && !dashboard && (
              <button disabled={busy} onClick={() => rollback(false)}>
                Revoke the new key
              </button>
            )}
          </div>
        )}
        {live?.error && (
          <p className="field-error" role="alert">
            {live.error}
          </p>
        )}
        {live?.state === 'awaiting-new-key' && (
          <div className="form">
            {dashboardUrl && (
              <button onClick={() => void attempt(() => api['app.openExternal']({ url: dashboardUrl }))}>
                Open {provider?.name} dashboard
              </button>
            )}
            <label>
              Paste the new key
              <input type="password" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.target.value)} data-autofocus />
            </label>
            {live.newValueSaved && (
              <p className="hint">The key you pasted is saved in your keychain; Resume checks it again, or paste another.</p>
            )}
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
          </div>
        )}
        {live?.state === 'awaiting-revoke' && (
          <div className="form">
            <p>The new key works everywhere. Now revoke the old key ({props.keyMeta?.prefix}…) in the dashboard.</p>
            {dashboardUrl && (
              <button onClick={() => void attempt(() => api['app.openExternal']({ url: dashboardUrl }))}>
                Open {provider?.name} dashboard
              </button>
            )}
            <button
              className="primary"
              disabled={busy}
              onClick={() => void act(() => api['rotations.confirmRevoked']({ rotationId: live.id }))}
            >
              I revoked it — check
            </button>
          </div>
        )}
        {askRollback && live && (
          <div className="form" role="group" aria-label="Roll back">
            <p>
              Rolling back puts every tool back on the old key, which keeps working, and stops this rotation.{' '}
              {dashboard
                ? `The new key stays in the ${provider?.name ?? 'service'} dashboard; Keywarden keeps it in the key list for you to decide.`
                : 'What should happen to the new key?'}
            </p>
            {dashboard ? (
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
        )}
      </div>
      <footer className="dialog-foot">
        {unfinished && !askRollback && live.state !== 'rolling-back' && (
          <button disabled={busy} onClick={() => setAskRollback(true)}>
            Roll back
          </button>
        )}
        {canResume && (
          <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.resume']({ rotationId: live.id }))}>
            {live.state === 'rolling-back' ? 'Finish rolling back' : 'Resume'}
          </button>
        )}
        {!live && plan && (
          <button
            className="primary"
            data-autofocus
            disabled={busy}
            aria-busy={busy}
            onClick={() => void act(() => api['rotations.start']({ keyId: plan.keyId }))}
          >
            {busy ? 'Rotating…' : 'Start rotation'}
          </button>
        )}
        <button onClick={props.onClose}>Close</button>
      </footer>
    </Dialog>
  )
}
