import { useState } from 'react'
import { api, messageOf } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { ROTATION_STATE_WORDS } from '../words'
import { Dialog } from './Dialog'

type Outcome = { state: 'waiting' | 'running' | 'done' | 'needs-you' | 'failed'; text: string; rotationId?: string }

/** "Rotate all due": one confirmation, then each due key rotated in turn, its outcome shown as it comes. */
export function RotateDueDialog(props: { onClose: () => void }) {
  const { due, keys, providers, catalog } = useApp()
  const openDialog = useUi((s) => s.open)
  // The list is fixed when the dialog opens; keys that become due meanwhile wait for the next time.
  const [list] = useState(() =>
    due.flatMap((d) => keys.filter((k) => k.id === d.keyId && k.inVault).map((k) => ({ key: k, why: d.message })))
  )
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({})
  const [running, setRunning] = useState(false)
  const started = Object.keys(outcomes).length > 0
  const dashboardManaged = (providerId: string) => {
    const p = providers.find((x) => x.id === providerId)
    return catalog.find((c) => c.kind === p?.kind)?.management === 'dashboard' || (p?.kind === 'custom' && !p.custom?.keyApi)
  }

  const run = async () => {
    setRunning(true)
    for (const { key } of list) {
      setOutcomes((o) => ({ ...o, [key.id]: { state: 'running', text: 'rotating…' } }))
      let outcome: Outcome
      try {
        const r = await api['rotations.start']({ keyId: key.id })
        outcome =
          r.state === 'done'
            ? { state: 'done', text: 'rotated', rotationId: r.id }
            : r.error
              ? { state: 'failed', text: r.error, rotationId: r.id }
              : { state: 'needs-you', text: ROTATION_STATE_WORDS[r.state].toLowerCase(), rotationId: r.id }
      } catch (error) {
        outcome = { state: 'failed', text: messageOf(error) }
      }
      setOutcomes((o) => ({ ...o, [key.id]: outcome }))
    }
    setRunning(false)
  }
  const finished = started && !running
  const counts = Object.values(outcomes).reduce<Record<string, number>>((c, o) => ({ ...c, [o.state]: (c[o.state] ?? 0) + 1 }), {})

  return (
    <Dialog title="Rotate all keys due for rotation" onClose={props.onClose} wide>
      <div className="dialog-body">
        {list.length === 0 ? (
          <p>No key is due for rotation.</p>
        ) : (
          <>
            <p>
              {started
                ? finished
                  ? `Finished: ${counts['done'] ?? 0} rotated, ${counts['needs-you'] ?? 0} waiting for you, ${counts['failed'] ?? 0} failed.`
                  : 'Rotating one key after the other…'
                : `Keywarden will rotate these ${list.length} key${list.length === 1 ? '' : 's'} one after the other: a new key each, every client updated and checked, then the old key revoked. Keys managed in a dashboard stop where you have to act.`}
            </p>
            <ul className="tool-progress" aria-label="Keys to rotate">
              {list.map(({ key, why }) => {
                const o = outcomes[key.id]
                return (
                  <li key={key.id}>
                    <strong>{key.name}</strong> <span className="muted small">— {why}</span>
                    {!o && dashboardManaged(key.providerId) && <em className="tag">needs you in the dashboard</em>}
                    {o && (
                      <span role={o.state === 'failed' ? 'alert' : undefined}>
                        {' '}
                        <span className={`badge ${o.state === 'done' ? 'ok' : o.state === 'failed' ? 'bad' : 'wait'}`}>
                          {o.state === 'failed' ? 'failed' : o.text}
                        </span>
                        {o.state === 'failed' && <span className="error-text small"> {o.text}</span>}
                        {o.rotationId && o.state !== 'done' && !running && (
                          <button className="link" onClick={() => openDialog({ kind: 'rotation', rotationId: o.rotationId! })}>
                            Open
                          </button>
                        )}
                      </span>
                    )}
                  </li>
                )
              })}
            </ul>
          </>
        )}
      </div>
      <footer className="dialog-foot">
        {!started && <button onClick={props.onClose}>Cancel</button>}
        {!started && list.length > 0 && (
          <button className="primary" data-autofocus onClick={() => void run()}>
            Rotate {list.length} key{list.length === 1 ? '' : 's'}
          </button>
        )}
        {started && (
          <button className="primary" disabled={running} aria-busy={running} onClick={props.onClose}>
            {running ? 'Rotating…' : 'Done'}
          </button>
        )}
      </footer>
    </Dialog>
  )
}
