import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { ROTATION_STATE_WORDS } from '../words'

/** Unfinished rotations first (resume or roll back), then the history. */
export function RotationsPage() {
  const { rotations, keys } = useApp()
  const open = useUi((s) => s.open)
  const names = new Map(keys.map((k) => [k.id, k]))
  const sorted = [...rotations].sort(
    (a, b) =>
      Number(a.state === 'done' || a.state === 'rolled-back') - Number(b.state === 'done' || b.state === 'rolled-back') ||
      b.startedAt.localeCompare(a.startedAt)
  )
  return (
    <section className="page" aria-labelledby="rotations-title">
      <header className="page-head">
        <h1 id="rotations-title">Rotations</h1>
      </header>
      {sorted.length === 0 ? (
        <div className="empty">
          <p>No rotations yet. Select a key and choose "Rotate" to replace it everywhere it is used.</p>
        </div>
      ) : (
        <ul className="cards">
          {sorted.map((r) => {
            const finished = r.state === 'done' || r.state === 'rolled-back'
            return (
              <li key={r.id} className="card">
                <div className="card-head">
                  <strong>{names.get(r.keyId)?.name ?? names.get(r.newKeyId)?.name ?? 'key'}</strong>
                  <span className={`badge ${finished ? (r.state === 'done' ? 'ok' : 'inactive') : 'wait'}`}>
                    {ROTATION_STATE_WORDS[r.state]}
                  </span>
                  <span className="muted small">{new Date(r.startedAt).toLocaleString()}</span>
                </div>
                {r.error && <p className="error-text small">{r.error}</p>}
                <div className="actions">
                  <button className={finished ? undefined : 'primary'} onClick={() => open({ kind: 'rotation', rotationId: r.id })}>
                    {finished ? 'Details' : 'Continue'}
                  </button>
                </div>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
