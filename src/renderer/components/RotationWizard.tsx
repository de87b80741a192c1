import { useEffect, useState } from 'react'
import type { KeyMeta, Rotation, RotationState } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

const STEPS: Array<{ states: RotationState[]; api: string; dashboard: string }> = [
  { states: ['planned', 'creating', 'awaiting-new-key'], api: 'Create the new key (value to the keychain first)', dashboard: 'Create the new key in the dashboard and paste it here' },
  { states: ['created'], api: 'Update every tool that uses the key', dashboard: 'Update every tool that uses the key' },
  { states: ['bindings-updated'], api: 'Verify the new key with the service and each MCP server', dashboard: 'Verify the new key with the service and each MCP server' },
  { states: ['verified', 'awaiting-revoke'], api: 'Revoke the old key', dashboard: 'Revoke the old key in the dashboard; Keywarden checks it is rejected' }
]
const ORDER: RotationState[] = ['planned', 'creating', 'awaiting-new-key', 'created', 'bindings-updated', 'verified', 'awaiting-revoke', 'done']

function stepStatus(r: Rotation | undefined, index: number): 'done' | 'current' | 'todo' | 'failed' {
  if (!r) return 'todo'
  if (r.state === 'done') return 'done'
  const at = ORDER.indexOf(r.state)
  const first = Math.min(...STEPS[index]!.states.map((s) => ORDER.indexOf(s)))
  const last = Math.max(...STEPS[index]!.states.map((s) => ORDER.indexOf(s)))
  if (at > last) return 'done'
  if (at >= first) return r.error ? 'failed' : 'current'
  return 'todo'
}

/** Guided rotation: one confirm for API-managed services, a few guided steps for dashboard ones. */
export function RotationWizard(props: { keyMeta?: KeyMeta; rotationId?: string; onClose: () => void }) {
  const { rotations, providers, bindings, attempt, notify } = useApp()
  const [plan, setPlan] = useState<Rotation>()
  const [id, setId] = useState(props.rotationId ?? rotations.find((r) => r.keyId === props.keyMeta?.id && r.state !== 'done' && r.state !== 'rolled-back')?.id)
  const [busy, setBusy] = useState(false)
  const [pasted, setPasted] = useState('')
  const live = rotations.find((r) => r.id === id)
  const r = live ?? plan
  const provider = providers.find((p) => p.id === r?.providerId)
  const dashboardUrl = provider?.dashboardUrl ?? useApp.getState().catalog.find((c) => c.kind === provider?.kind)?.dashboardUrl

  useEffect(() => {
    if (!id && props.keyMeta) void attempt(() => api['rotations.plan']({ keyId: props.keyMeta!.id })).then(setPlan)
  }, [id, props.keyMeta, attempt])

  const act = async (fn: () => Promise<Rotation>) => {
    setBusy(true)
    const result = await attempt(fn)
    setBusy(false)
    if (result) {
      setId(result.id)
      await useApp.getState().loadRotations()
      if (result.state === 'done') notify('success', 'Rotation finished: every tool uses the new key and the old one is revoked.')
    }
  }

  const keyBindings = bindings.filter((b) => b.keyId === (r?.keyId ?? props.keyMeta?.id) || b.keyId === r?.newKeyId)
  const unfinished = r && live && r.state !== 'done' && r.state !== 'rolled-back'

  return (
    <Dialog title={`Rotate ${props.keyMeta ? `"${props.keyMeta.name}"` : 'key'}`} onClose={props.onClose} wide>
      <div className="dialog-body">
        {r && (
          <p className="muted">
            {r.mode === 'api' ? 'Fully automatic after you start it.' : `${provider?.name} keys are created and revoked in its dashboard: Keywarden guides you through it.`} {keyBindings.length} tool
            config{keyBindings.length === 1 ? '' : 's'} will be updated.
          </p>
        )}
        <ol className="steps" aria-label="Rotation steps">
          {STEPS.map((s, i) => {
            const st = stepStatus(live, i)
            return (
              <li key={i} className={`step ${st}`} aria-current={st === 'current' ? 'step' : undefined}>
                <span className="dot" aria-hidden="true" />
                {r?.mode === 'dashboard' ? s.dashboard : s.api}
                <span className="sr-only"> — {st}</span>
              </li>
            )
          })}
        </ol>
        {live?.bindings.some((b) => b.status === 'needs-person') && (
          <p className="hint warn">
            VS Code keeps its copy of the key encrypted: when it asks, paste the new key (copy it from the key list). Keywarden cannot change that copy for you.
          </p>
        )}
        {live?.state === 'done' && <p className="hint">Done. The old key is revoked; every tool uses the new one.</p>}
        {live?.state === 'rolled-back' && (
          <p className="hint warn">
            Rolled back: your tools use the old key again, which still works.{' '}
            {live.newKeyOutcome === 'kept' ? 'The new key was kept; revoke it from the key list if you do not need it.' : live.newKeyOutcome === 'revoked' ? 'The new key was revoked.' : ''}
          </p>
        )}
        {live?.error && (
          <p className="field-error" role="alert">
            {live.error}
          </p>
        )}
        {live?.state === 'awaiting-new-key' && (
          <div className="form">
            {dashboardUrl && (
              <button onClick={() => void attempt(() => api['app.openExternal']({ url: dashboardUrl }))}>Open {provider?.name} dashboard</button>
            )}
            <label>
              Paste the new key
              <input type="password" autoComplete="off" value={pasted} onChange={(e) => setPasted(e.target.value)} data-autofocus />
            </label>
            <button className="primary" disabled={busy || pasted.trim().length < 8} onClick={() => void act(() => api['rotations.provideNewKey']({ rotationId: live.id, value: pasted.trim() })).then(() => setPasted(''))}>
              Check and continue
            </button>
          </div>
        )}
        {live?.state === 'awaiting-revoke' && (
          <div className="form">
            <p>The new key works everywhere. Now revoke the old key ({props.keyMeta?.prefix}…) in the dashboard.</p>
            {dashboardUrl && <button onClick={() => void attempt(() => api['app.openExternal']({ url: dashboardUrl }))}>Open {provider?.name} dashboard</button>}
            <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.confirmRevoked']({ rotationId: live.id }))}>
              I revoked it — check
            </button>
          </div>
        )}
      </div>
      <footer className="dialog-foot">
        {unfinished && (
          <button disabled={busy} onClick={() => void act(() => api['rotations.rollback']({ rotationId: live.id }))}>
            Roll back
          </button>
        )}
        {unfinished && live.state !== 'awaiting-new-key' && live.state !== 'awaiting-revoke' && (
          <button className="primary" disabled={busy} onClick={() => void act(() => api['rotations.resume']({ rotationId: live.id }))}>
            Resume
          </button>
        )}
        {!live && plan && (
          <button className="primary" data-autofocus disabled={busy} aria-busy={busy} onClick={() => void act(() => api['rotations.start']({ keyId: plan.keyId }))}>
            {busy ? 'Rotating…' : 'Start rotation'}
          </button>
        )}
        <button onClick={props.onClose}>Close</button>
      </footer>
    </Dialog>
  )
}
