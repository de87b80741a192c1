import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { DiffView } from './DiffView'
import { Dialog } from './Dialog'

type Report = Awaited<ReturnType<(typeof api)['bindings.drift']>>[number]
type Preview = Awaited<ReturnType<(typeof api)['bindings.repairPreview']>>

const STATE: Record<Report['state'], string> = {
  intact: 'intact',
  changed: 'changed by another program',
  missing: 'gone from the file',
  unreadable: 'file unreadable'
}

/**
 * Entries Keywarden wrote that a client rewrote or dropped, each with its repair behind a preview.
 * Checked when shown, when the window regains focus, when bindings change and after each scan.
 */
export function DriftPanel(props: { scanned?: unknown }) {
  const { attempt, notify, bindings } = useApp()
  const [reports, setReports] = useState<Report[]>([])
  const [preview, setPreview] = useState<Preview>()
  const [checked, setChecked] = useState(0)

  useEffect(() => {
    let live = true
    const check = () => void attempt(() => api['bindings.drift']({})).then((r) => live && r && setReports(r))
    check()
    // Clients rewrite their files while Keywarden is in the background: check again on focus.
    window.addEventListener('focus', check)
    return () => {
      live = false
      window.removeEventListener('focus', check)
    }
  }, [attempt, bindings, checked, props.scanned])

  const drifted = reports.filter((r) => r.state !== 'intact')
  if (drifted.length === 0) return null
  return (
    <div className="card" role="region" aria-label="Entries a client rewrote">
      <div className="card-head">
        <strong>Entries a client rewrote</strong>
      </div>
      <table className="servers">
        <tbody>
          {drifted.map((r) => (
            <tr key={r.bindingId}>
              <td>
                <strong>{r.serverName}</strong> <span className="muted small">{r.client}</span>
              </td>
              <td>{STATE[r.state]}</td>
              <td className="mono small">{r.detail ?? r.file}</td>
              <td>
                {r.state !== 'unreadable' && (
                  <button
                    onClick={() =>
                      void attempt(() => api['bindings.repairPreview']({ bindingId: r.bindingId })).then((p) => p && setPreview(p))
                    }
                  >
                    Write it back…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview && (
        <Dialog title="Write the entry back" onClose={() => setPreview(undefined)} wide>
          <div className="dialog-body">
            <p>{preview.summary}</p>
            <DiffView diff={preview.diff} label="Change preview" />
          </div>
          <div className="dialog-foot">
            <button onClick={() => setPreview(undefined)}>Cancel</button>
            <button
              className="primary"
              data-autofocus
              onClick={() =>
                void attempt(() => api['bindings.repair']({ planId: preview.planId })).then((done) => {
                  setPreview(undefined)
                  if (!done) return
                  notify('success', `Wrote the entry back to ${preview.file}. Undo it from Tools if needed.`)
                  setChecked((n) => n + 1)
                })
              }
            >
              Write it back
            </button>
          </div>
        </Dialog>
      )}
    </div>
  )
}
