import { useEffect, useState } from 'react'
import { useApp, whereBound, type DriftReport } from '../stores/app-store'
import { DRIFT_WORDS, DriftRepairDialog } from './DriftRepairDialog'

/**
 * Entries Keywarden wrote that a client rewrote or dropped, each with its repair behind a preview.
 * The app checks at start, on focus and when bindings change; the panel checks again when shown
 * and after each scan (`scanned`).
 */
export function DriftPanel(props: { scanned?: unknown }) {
  const { attempt, checkDrift, clients, drift: reports } = useApp()
  const [repairing, setRepairing] = useState<DriftReport>()

  useEffect(() => {
    void attempt(checkDrift)
  }, [attempt, checkDrift, props.scanned])

  const drifted = reports.filter((r) => r.state !== 'intact')
  if (drifted.length === 0) return null
  return (
    <section className="card drift" aria-label="Entries a client rewrote">
      <div className="card-head">
        <h2 style={{ margin: 0 }}>Entries a client rewrote</h2>
        <span className="muted small">Keywarden wrote these; their client changed or dropped them since.</span>
      </div>
      <table className="servers">
        <tbody>
          {drifted.map((r) => (
            <tr key={r.bindingId}>
              <td>
                <strong>{r.serverName}</strong>
                <span className="muted small" style={{ display: 'block' }}>
                  {whereBound(clients, r)}
                </span>
              </td>
              <td>
                <em className="tag warn">{DRIFT_WORDS[r.state]}</em>
                {r.detail && (
                  <span className="muted small" style={{ display: 'block' }}>
                    {r.detail}
                  </span>
                )}
              </td>
              <td className="mono small break">{r.file}</td>
              <td className="actions-cell">
                {r.state !== 'unreadable' && <button onClick={() => setRepairing(r)}>Write it back…</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {repairing && <DriftRepairDialog report={repairing} onClose={() => setRepairing(undefined)} />}
    </section>
  )
}
