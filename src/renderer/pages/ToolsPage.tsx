import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'

type Scan = Awaited<ReturnType<(typeof api)['clients.scan']>>
type Change = Awaited<ReturnType<(typeof api)['changes.list']>>[number]

/** What each client has configured, which managed key each server uses, and the undo history. */
export function ToolsPage() {
  const { keys, bindings, clients, loadClients, attempt, notify } = useApp()
  const [scan, setScan] = useState<Scan>()
  const [changes, setChanges] = useState<Change[]>([])
  // Each scan is numbered; the page is busy until the newest one has answered.
  const [requested, setRequested] = useState(0)
  const [answered, setAnswered] = useState(-1)
  const busy = answered < requested
  const names = new Map(keys.map((k) => [k.id, k]))
  const refresh = () => setRequested((n) => n + 1)

  useEffect(() => {
    let live = true
    void Promise.all([attempt(() => api['clients.scan']({})), attempt(() => api['changes.list']({})), attempt(loadClients)]).then(
      ([s, c]) => {
        if (!live) return
        setAnswered(requested)
        if (s) setScan(s)
        if (c) setChanges(c)
      }
    )
    return () => {
      live = false
    }
  }, [attempt, bindings, requested, loadClients])

  const files = new Map<string, Scan['servers']>()
  for (const s of scan?.servers ?? []) files.set(`${s.label}\u0000${s.file}`, [...(files.get(`${s.label}\u0000${s.file}`) ?? []), s])
  for (const p of scan?.present ?? []) if (!files.has(`${p.label}\u0000${p.file}`)) files.set(`${p.label}\u0000${p.file}`, [])

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
      {clients.length > 0 && (
        <ul className="clients" aria-label="Clients on this computer">
          {clients.map((c) => (
            <li key={c.client}>
              <strong>{c.label}</strong> {c.installed ? <span>installed</span> : <span className="muted">not found</span>}{' '}
              <span className="muted mono small">{c.evidence}</span>
            </li>
          ))}
        </ul>
      )}
      {scan?.problems.map((p) => (
        <div key={p.file} className="banner error" role="alert">
          {p.message}
        </div>
      ))}
      {scan && files.size === 0 && (
        <div className="empty">
          <p>No MCP client config found yet. Select a key and choose "Add to…" to create one.</p>
        </div>
      )}
      {[...files.entries()].map(([id, servers]) => {
        const [label, file] = id.split('\u0000')
        return (
          <div key={id} className="card">
            <div className="card-head">
              <strong>{label}</strong>
              <span className="muted mono small">{file}</span>
            </div>
            {servers.length === 0 ? (
              <p className="muted small">No MCP servers.</p>
            ) : (
              <table className="servers">
                <thead>
                  <tr>
                    <th>Server</th>
                    <th>URL</th>
                    <th>Key</th>
                    <th>Placement</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {servers.map((s) => {
                    const key = s.keyId ? names.get(s.keyId) : undefined
                    return (
                      <tr key={`${s.serverName}-${s.prefix ?? ''}`}>
                        <td>{s.serverName}</td>
                        <td className="mono small">{s.url ?? '—'}</td>
                        <td>
                          {key ? key.name : s.prefix ? <span className="mono">{s.prefix}…</span> : '—'}
                          {s.unmanaged && <em className="tag warn">not in vault</em>}
                        </td>
                        <td>
                          {s.placement}
                          {s.plaintext && <em className="tag warn">plaintext copy</em>}
                        </td>
                        <td>
                          {s.adoptable && s.keyId && (
                            <button
                              onClick={() =>
                                void attempt(async () => {
                                  await api['bindings.adopt']({
                                    client: s.client,
                                    scope: s.scope,
                                    projectPath: s.projectPath,
                                    serverName: s.serverName,
                                    keyId: s.keyId!
                                  })
                                  notify('success', `Keywarden now tracks "${s.serverName}"; rotation will update it.`)
                                })
                              }
                            >
                              Track
                            </button>
                          )}
                          {s.unmanaged && !s.bindingId && (
                            <button
                              onClick={() =>
                                void attempt(async () => {
                                  await api['bindings.importFound']({
                                    client: s.client,
                                    scope: s.scope,
                                    projectPath: s.projectPath,
                                    serverName: s.serverName,
                                    name: `${s.serverName} (${s.label})`
                                  })
                                  notify(
                                    'success',
                                    `Imported the key in "${s.serverName}" into the vault; rotation will update this entry.`
                                  )
                                })
                              }
                            >
                              Import key
                            </button>
                          )}
                          {s.bindingId && (
                            <button
                              onClick={() =>
                                void attempt(async () => {
                                  await api['bindings.remove']({ bindingId: s.bindingId! })
                                  notify('success', `Removed "${s.serverName}".`)
                                })
                              }
                            >
                              Remove
                            </button>
                          )}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            )}
          </div>
        )
      })}
      <h2>Recent changes</h2>
      {changes.length === 0 ? (
        <p className="muted">Keywarden has not changed any config file yet.</p>
      ) : (
        <ul className="changes">
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
                      notify('success', `Undone: ${c.summary}`)
                      refresh()
                    })
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
