import { useState } from 'react'
import { api } from '../api'
import type { KeyMeta } from '../../shared/schemas'
import { useApp, whereBound, type DriftReport } from '../stores/app-store'
import { PLACEMENT_WORDS } from '../words'
import { DRIFT_WORDS, DriftRepairDialog } from './DriftRepairDialog'

/**
 * Every entry that uses the key through Keywarden, as its file holds it now: an entry a client
 * dropped or rewrote says so (it is not claimed to be there), with its repair behind the preview.
 */
export function KeyUsedBy(props: { keyMeta: KeyMeta }) {
  const { bindings, clients, drift, attempt, notify, checkDrift } = useApp()
  const [repairing, setRepairing] = useState<DriftReport>()
  const used = bindings.filter((b) => b.keyId === props.keyMeta.id)
  return (
    <>
      <h3>Used by</h3>
      {used.length === 0 ? (
        <p className="muted">No client uses this key through Keywarden yet.</p>
      ) : (
        <ul className="bindings">
          {used.map((b) => {
            const report = drift.find((r) => r.bindingId === b.id && r.state !== 'intact')
            return (
              <li key={b.id}>
                <strong>{b.serverName}</strong> — {whereBound(clients, b)}{' '}
                {report ? (
                  <em className="tag warn">{DRIFT_WORDS[report.state]}</em>
                ) : b.placement === 'inline' ? (
                  <em className="tag warn">plaintext copy</em>
                ) : (
                  <em className="tag">{PLACEMENT_WORDS[b.placement]}</em>
                )}
                <div className="muted mono small break">{b.file}</div>
                {report && (
                  <div className="drift-note small">
                    {report.state === 'missing'
                      ? `${whereBound(clients, b)} no longer has this entry: that client does not get the key.`
                      : report.state === 'changed'
                        ? `The entry was edited since Keywarden wrote it (${report.detail ?? 'some fields differ'}).`
                        : `Keywarden cannot read the file: ${report.detail ?? 'it does not parse'}.`}{' '}
                    {report.state !== 'unreadable' && <button onClick={() => setRepairing(report)}>Write it back…</button>}
                    {report.state === 'missing' && (
                      <button
                        onClick={() =>
                          void attempt(async () => {
                            const removed = await api['bindings.remove']({ bindingId: b.id })
                            notify('success', 'message' in removed ? removed.message : `Removed "${b.serverName}".`, {
                              source: whereBound(clients, b)
                            })
                            void attempt(checkDrift)
                          })
                        }
                      >
                        Forget it
                      </button>
                    )}
                  </div>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {repairing && <DriftRepairDialog report={repairing} onClose={() => setRepairing(undefined)} />}
    </>
  )
}
