import { useEffect, useRef, useState } from 'react'
import type { KeyMeta, Rotation } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'
import { useAttempt, useNote } from './message-scope'
import { RotationProgressView } from './RotationProgressView'
import { RotationActions } from './RotationActions'

const FINISHED = new Set(['done', 'rolled-back'])
const WAITING = new Set(['awaiting-new-key', 'awaiting-person', 'awaiting-revoke'])

/** Guided rotation: one confirm for API-managed services, a few guided steps for dashboard ones. */
export function RotationWizard(props: { keyMeta?: KeyMeta; rotationId?: string; onClose: () => void }) {
  return (
    <Dialog title={`Rotate ${props.keyMeta ? `"${props.keyMeta.name}"` : 'key'}`} onClose={props.onClose} wide>
      <WizardBody {...props} />
    </Dialog>
  )
}

function WizardBody(props: { keyMeta?: KeyMeta; rotationId?: string; onClose: () => void }) {
  const { rotations, providers, catalog, progress, notify } = useApp()
  const attempt = useAttempt()
  const note = useNote()
  const [plan, setPlan] = useState<Rotation>()
  const [id, setId] = useState(props.rotationId ?? rotations.find((r) => r.keyId === props.keyMeta?.id && !FINISHED.has(r.state))?.id)
  const [busy, setBusy] = useState(false)
  /**
   * Rotations that existed when the wizard opened (or before Start): one of this key that appears
   * later is the one to follow, whether this wizard started it or an earlier one, closed while its
   * Start was on its way, did.
   */
  const [before, setBefore] = useState(() => new Set([...Object.keys(progress), ...rotations.map((x) => x.id)]))
  const planned = useRef(false)

  // Planned once when the wizard opens: the key changes under it while the rotation runs (its old
  // value is revoked at the end), and planning again then would only report that.
  useEffect(() => {
    if (planned.current || id || !props.keyMeta) return
    planned.current = true
    void attempt(() => api['rotations.plan']({ keyId: props.keyMeta!.id })).then(setPlan)
  }, [id, props.keyMeta, attempt])

  // While Start is still waiting for its answer, the first progress event (or the list) says which rotation it is.
  const started = id
    ? undefined
    : (Object.keys(progress).find((rid) => !before.has(rid) && progress[rid]![0]?.keyId === props.keyMeta?.id) ??
      rotations.find((x) => !before.has(x.id) && x.keyId === props.keyMeta?.id)?.id)
  const rotationId = id ?? started
  const live = rotations.find((r) => r.id === rotationId)
  // Started after the wizard opened, not waiting for the person, no error: main is running it now.
  const running = busy || Boolean(started && live && !live.error && !WAITING.has(live.state) && !FINISHED.has(live.state))
  const events = rotationId ? (progress[rotationId] ?? []) : []
  const r = live ?? plan
  const provider = providers.find((p) => p.id === r?.providerId)
  const dashboardUrl =
    provider?.dashboardUrl ?? provider?.custom?.dashboardUrl ?? catalog.find((c) => c.kind === provider?.kind)?.dashboardUrl

  const act = async (fn: () => Promise<Rotation>): Promise<Rotation | undefined> => {
    setBusy(true)
    const result = await attempt(fn)
    setBusy(false)
    if (result) {
      setId(result.id)
      await useApp.getState().loadRotations()
      if (result.state === 'done')
        notify('success', 'Rotation finished: every client uses the new key and the old one is revoked.', {
          source: props.keyMeta?.name,
          key: `rotated:${result.keyId}`
        })
    }
    return result
  }
  const start = () => {
    setBefore(new Set(Object.keys(useApp.getState().progress)))
    return act(() => api['rotations.start']({ keyId: plan!.keyId }))
  }
  const copyNew = () =>
    void attempt(async () => {
      const c = await api['keys.copy']({ keyId: live!.newKeyId })
      note(`New key copied — the clipboard clears in ${c.clearAfterSeconds} s.`)
    })
  const openDashboard = dashboardUrl ? () => void attempt(() => api['app.openExternal']({ url: dashboardUrl })) : undefined

  const count = r?.bindings.length ?? 0
  const dashboard = r?.mode === 'dashboard'
  return (
    <>
      <div className="dialog-body">
        {r && (
          <p className="muted">
            {dashboard
              ? `${provider?.name} keys are created and revoked in its dashboard: Keywarden guides you through it.`
              : 'Fully automatic after you start it.'}{' '}
            {count === 0
              ? 'No client config uses this key through Keywarden.'
              : `${count} client config${count === 1 ? '' : 's'} will be updated.`}
          </p>
        )}
        <RotationProgressView rotation={live} events={events} running={running && !live} dashboard={dashboard} />
        {live?.error && (
          <p className="dialog-error" role="alert">
            {live.error}
          </p>
        )}
      </div>
      <RotationActions
        live={live}
        plan={plan}
        busy={running}
        dashboard={dashboard}
        providerName={provider?.name ?? 'the service'}
        oldPrefix={props.keyMeta?.prefix}
        act={act}
        start={start}
        copyNew={copyNew}
        openDashboard={openDashboard}
        onClose={props.onClose}
      />
    </>
  )
}
