import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp, whereBound, type DriftReport } from '../stores/app-store'
import { Dialog } from './Dialog'
import { DiffView } from './DiffView'
import { useAttempt } from './message-scope'

type Preview = Awaited<ReturnType<(typeof api)['bindings.repairPreview']>>

/** What became of an entry, in a person's words (never "intact" where it is not). */
export const DRIFT_WORDS: Record<DriftReport['state'], string> = {
  intact: 'as Keywarden wrote it',
  changed: 'edited elsewhere',
  missing: 'gone from the file',
  unreadable: 'file unreadable'
}

/**
 * Writes a drifted entry back as Keywarden wrote it, after the usual masked preview; the write is a
 * normal change (undoable from Tools). The drift check runs again afterwards.
 */
export function DriftRepairDialog(props: { report: DriftReport; onClose: () => void }) {
  return (
    <Dialog title={`Write "${props.report.serverName}" back`} onClose={props.onClose} wide>
      <RepairBody {...props} />
    </Dialog>
  )
}

function RepairBody(props: { report: DriftReport; onClose: () => void }) {
  const r = props.report
  const attempt = useAttempt()
  const { notify, checkDrift, clients } = useApp()
  const [preview, setPreview] = useState<Preview>()
  const [busy, setBusy] = useState(true)
  const where = whereBound(clients, r)
  useEffect(() => {
    void attempt(() => api['bindings.repairPreview']({ bindingId: r.bindingId })).then((p) => {
      setBusy(false)
      if (p) setPreview(p)
    })
  }, [attempt, r.bindingId])
  const write = async () => {
    setBusy(true)
    const done = await attempt(() => api['bindings.repair']({ planId: preview!.planId }))
    setBusy(false)
    if (!done) return
    notify('success', `Wrote "${r.serverName}" back to ${where}. Undo it from Tools → Recent changes if needed.`, { source: where })
    void useApp.getState().attempt(checkDrift)
    props.onClose()
  }
  return (
    <>
      <div className="dialog-body">
        <p>
          <strong>{r.serverName}</strong> in {where} is {DRIFT_WORDS[r.state]}
          {r.detail ? ` (${r.detail})` : ''}. Keywarden will write it back as it wrote it; nothing else in the file changes.
        </p>
        {!preview && busy && <p aria-busy="true">Preparing the change…</p>}
        {preview && (
          <>
            <p className="muted small">
              {preview.summary} — <span className="mono break">{preview.file}</span>
            </p>
            <DiffView diff={preview.diff} label="Change preview" testId="repair-diff" />
          </>
        )}
      </div>
      <footer className="dialog-foot">
        <button onClick={props.onClose}>Cancel</button>
        <button className="primary" data-autofocus disabled={busy || !preview} aria-busy={busy} onClick={() => void write()}>
          Write it back
        </button>
      </footer>
    </>
  )
}
