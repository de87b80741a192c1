import { useState } from 'react'
import { api } from '../api'
import { useApp, type ClientListing } from '../stores/app-store'
import { PLACEMENT_WORDS } from '../words'
import { ConfirmDialog } from './Dialog'
import { MoveToKeychainDialog } from './MoveToKeychainDialog'

export type Scan = Awaited<ReturnType<(typeof api)['clients.scan']>>
type Server = Scan['servers'][number]
type TestResult = Awaited<ReturnType<(typeof api)['clients.testServer']>>

const RESULT_CLASS: Record<TestResult['outcome'], string> = { accepted: 'ok', rejected: 'bad', unreachable: 'wait', untestable: 'inactive' }
const RESULT_WORDS: Record<TestResult['outcome'], string> = {
  accepted: 'connected',
  rejected: 'key rejected',
  unreachable: 'no answer',
  untestable: 'cannot test'
}

const serverId = (s: Server) => `${s.file}\u0000${s.serverName}\u0000${s.prefix ?? ''}`

/** One client: where its config lives, every server in it and how it gets its key. */
export function ClientCard(props: { client: ClientListing; scan?: Scan }) {
  const c = props.client
  const { keys, attempt, notify, drift } = useApp()
  const [results, setResults] = useState<Record<string, TestResult | 'testing'>>({})
  const [removing, setRemoving] = useState<Server>()
  const [moving, setMoving] = useState<Server>()
  const servers = (props.scan?.servers ?? []).filter((s) => s.client === c.client)
  const files = (props.scan?.present ?? []).filter((p) => p.client === c.client)
  const problems = (props.scan?.problems ?? []).filter(
    (p) => files.some((f) => f.file === p.file) || servers.some((s) => s.file === p.file)
  )
  const keyless = c.placements.some((p) => p.id !== 'inline')
  const names = new Map(keys.map((k) => [k.id, k]))
  const through = servers.filter((s) => s.bindingId).length

  const test = async (s: Server) => {
    setResults((r) => ({ ...r, [serverId(s)]: 'testing' }))
    const result = await attempt(
      () => api['clients.testServer']({ client: s.client, scope: s.scope, projectPath: s.projectPath, serverName: s.serverName }),
      c.label
    )
    setResults((r) => {
      const next = { ...r }
      if (result) next[serverId(s)] = result
      else delete next[serverId(s)]
      return next
    })
  }

  return (
    <section className="card" aria-label={c.label}>
      <div className="card-head">
        <h2 style={{ margin: 0 }}>{c.label}</h2>
        {c.installed ? <span className="badge ok">installed</span> : <span className="badge inactive">not found</span>}
        <span className="muted small">
          {servers.length === 0
            ? 'no MCP servers'
            : `${servers.length} server${servers.length === 1 ? '' : 's'}, ${through} through Keywarden`}
        </span>
      </div>
      {c.evidence && <span className="muted mono small break">{c.evidence}</span>}
      {problems.map((p) => (
        <p key={p.file} className="dialog-error" role="alert">
          {p.message}
        </p>
      ))}
      {servers.length > 0 && (
        <table className="servers">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Where</th>
              <th scope="col">Key</th>
              <th scope="col">How the key gets there</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {servers.map((s) => {
              const key = s.keyId ? names.get(s.keyId) : undefined
              const result = results[serverId(s)]
              return (
                <tr key={serverId(s)}>
                  <td>
                    <strong>{s.serverName}</strong>
                    <span className="muted mono small break" style={{ display: 'block' }}>
                      {s.url ?? 'a local command'}
                    </span>
                  </td>
                  <td>
                    <span className="small">{s.label}</span>
                    <span className="muted mono small break" style={{ display: 'block' }}>
                      {s.file}
                    </span>
                  </td>
                  <td>
                    {key ? key.name : s.prefix ? <span className="mono">{s.prefix}…</span> : '—'}
                    {s.bindingId && <em className="tag">through Keywarden</em>}
                    {s.bindingId && drift.some((r) => r.bindingId === s.bindingId && r.state === 'changed') && (
                      <em className="tag warn">edited elsewhere</em>
                    )}
                    {s.unmanaged && <em className="tag warn">not in vault</em>}
                  </td>
                  <td>
                    {PLACEMENT_WORDS[s.placement]}
                    {s.plaintext && <em className="tag warn">plaintext copy</em>}
                  </td>
                  <td className="actions-cell">
                    <div className="actions">
                      {s.url && (
                        <button aria-label={`Test ${s.serverName}`} disabled={result === 'testing'} onClick={() => void test(s)}>
                          {result === 'testing' ? 'Testing…' : 'Test'}
                        </button>
                      )}
                      {s.plaintext && keyless && (s.bindingId || s.unmanaged) && (
                        <button onClick={() => setMoving(s)}>Move to keychain</button>
                      )}
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
                              notify('success', `Keywarden now tracks "${s.serverName}"; rotation will update it.`, { source: c.label })
                            }, c.label)
                          }
                        >
                          Track
                        </button>
                      )}
                      {s.unmanaged && !s.bindingId && !(s.plaintext && keyless) && (
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
                              notify('success', `Imported the key in "${s.serverName}" into the vault; rotation will update this entry.`, {
                                source: c.label
                              })
                            }, c.label)
                          }
                        >
                          Import key
                        </button>
                      )}
                      {s.bindingId && (
                        <button className="danger" onClick={() => setRemoving(s)}>
                          Remove
                        </button>
                      )}
                    </div>
                    {result && result !== 'testing' && (
                      <span className="result" role="status">
                        <span className={`badge ${RESULT_CLASS[result.outcome]}`}>{RESULT_WORDS[result.outcome]}</span> {result.message}
                      </span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove "${removing.serverName}" from ${removing.label}?`}
          body={
            <p>
              Keywarden takes this server out of <span className="mono break">{removing.file}</span> and forgets that it uses the key.
              Nothing else in the file changes, and you can undo it.
            </p>
          }
          confirm="Remove"
          danger
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            const removed = await api['bindings.remove']({ bindingId: removing.bindingId! })
            // Taken out by hand or by the client since the list was read: only the record went.
            if (!('changeId' in removed)) return notify('success', removed.message, { source: c.label })
            const { changeId } = removed
            notify('success', `Removed "${removing.serverName}" from ${removing.label}.`, {
              source: c.label,
              key: `removed:${removing.serverName}`,
              action: {
                label: 'Undo',
                run: () =>
                  void attempt(async () => {
                    await api['changes.undo']({ changeId })
                    notify('success', `Put "${removing.serverName}" back in ${removing.label}.`, { source: c.label })
                  }, c.label)
              }
            })
          }}
        />
      )}
      {moving && <MoveToKeychainDialog server={moving} client={c} onClose={() => setMoving(undefined)} />}
    </section>
  )
}
