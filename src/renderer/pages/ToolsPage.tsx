import { useEffect, useState } from 'react'
import { api } from '../api'
import { ClientCard, type Scan } from '../components/ClientCard'
import { DriftPanel } from '../components/DriftPanel'
import { useApp } from '../stores/app-store'

type Change = Awaited<ReturnType<(typeof api)['changes.list']>>[number]

/** Each client as a connection: its servers, which run through Keywarden and how, a test per server, and the undo history. */
export function ToolsPage() {
  const { bindings, clients, loadClients, attempt, notify } = useApp()
  const [scan, setScan] = useState<Scan>()
  const [changes, setChanges] = useState<Change[]>([])
  // Each scan is numbered; the page is busy until the newest one has answered.
  const [requested, setRequested] = useState(0)
  const [answered, setAnswered] = useState(-1)
  const busy = answered < requested
  const refresh = () => setRequested((n) => n + 1)

  useEffect(() => {
    let live = true
    void Promise.all([
      attempt(() => api['clients.scan']({}), 'Tools'),
      attempt(() => api['changes.list']({}), 'Tools'),
      attempt(loadClients)
    ]).then(([s, c]) => {
      if (!live) return
      setAnswered(requested)
      if (s) setScan(s)
      if (c) setChanges(c)
    })
    return () => {
      live = false
    }
  }, [attempt, bindings, requested, loadClients])

  return (
    <section className="page" aria-labelledby="tools-title">
      <header className="page-head">
        <h1 id="tools-title">Tools</h1>
        <div className="actions">
          <button onClick={refresh} disabled={busy} aria-busy={busy}>
            {busy ? 'Scanning…' : 'Scan again'}
          </button>
        </div>
      </header>
      <p className="muted">
        Each MCP client on this computer, the servers in its config files, and which of them get their key through Keywarden.
      </p>
      <DriftPanel scanned={scan} />
      {clients.map((c) => (
        <ClientCard key={c.client} client={c} scan={scan} />
      ))}
      <h2>Recent changes</h2>
      {changes.length === 0 ? (
        <p className="muted">Keywarden has not changed any config file yet.</p>
      ) : (
        <ul className="changes" aria-label="Recent changes">
          {changes.slice(0, 20).map((c) => (
            <li key={c.id}>
              <span>{c.summary}</span> <span className="muted small">{new Date(c.at).toLocaleString()}</span>
              {c.undone ? (
                <em className="tag">undone</em>
              ) : (
                <button
                  onClick={() =>
                    void attempt(async () => {
                      await api['changes.undo']({ changeId: c.id })
                      notify('success', `Undone: ${c.summary}`, { source: 'Tools' })
                      refresh()
                    }, 'Tools')
                  }
                >
                  Undo
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
