import { useEffect, useState } from 'react'
import type { ActivityKind } from '../../shared/activity'
import { api } from '../api'
import { useApp } from '../stores/app-store'

type Listing = Awaited<ReturnType<(typeof api)['activity.list']>>

const KINDS: Array<[ActivityKind, string]> = [
  ['key.read', 'Key read by a client'],
  ['key.reveal', 'Key revealed'],
  ['key.copy', 'Key copied'],
  ['config.write', 'Config written'],
  ['config.undo', 'Config change undone'],
  ['rotation.step', 'Rotation step'],
  ['findings.secure', 'Copy secured'],
  ['findings.redact', 'Copy redacted']
]
const LABEL = new Map(KINDS)

/** What used each key and what changed where: newest first, filtered by kind, key, client and date. */
export function ActivityPage() {
  const { attempt, keys } = useApp()
  const [listing, setListing] = useState<Listing>()
  const [kind, setKind] = useState<ActivityKind | ''>('')
  const [keyId, setKeyId] = useState('')
  const [client, setClient] = useState('')
  const [since, setSince] = useState('')
  const [requested, setRequested] = useState(0)

  useEffect(() => {
    let live = true
    const filter = {
      kind: kind || undefined,
      keyId: keyId || undefined,
      client: client.trim() || undefined,
      since: since ? new Date(since).toISOString() : undefined,
      limit: 500
    }
    void attempt(() => api['activity.list'](filter)).then((l) => live && l && setListing(l))
    return () => {
      live = false
    }
  }, [attempt, kind, keyId, client, since, requested])

  return (
    <section className="page" aria-labelledby="activity-title">
      <header className="page-head">
        <h1 id="activity-title">Activity</h1>
        <div className="actions">
          <button onClick={() => setRequested((n) => n + 1)}>Refresh</button>
        </div>
      </header>
      <div className="toolbar" role="search">
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as ActivityKind | '')}>
          <option value="">Everything</option>
          {KINDS.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
        <select aria-label="Key" value={keyId} onChange={(e) => setKeyId(e.target.value)}>
          <option value="">Every key</option>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </select>
        <input aria-label="Client" placeholder="client, e.g. claude-code" value={client} onChange={(e) => setClient(e.target.value)} />
        <input aria-label="Since" type="date" value={since} onChange={(e) => setSince(e.target.value)} />
      </div>
      {listing && listing.events.length === 0 && (
        <div className="empty">
          <p>Nothing logged yet{kind || keyId || client || since ? ' for these filters' : ''}.</p>
        </div>
      )}
      {listing && listing.events.length > 0 && (
        <table className="servers" aria-label="Activity">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Key</th>
              <th>Client</th>
              <th>Server</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {listing.events.map((e, i) => (
              <tr key={`${e.at}-${e.pid}-${i}`}>
                <td className="small">{new Date(e.at).toLocaleString()}</td>
                <td>{LABEL.get(e.kind) ?? e.kind}</td>
                <td>{e.key?.name ?? e.key?.id.slice(0, 8) ?? ''}</td>
                <td>{e.client ?? ''}</td>
                <td>{e.server ?? ''}</td>
                <td className="mono small">{e.detail ?? e.file ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listing && listing.unreadable > 0 && <p className="muted small">{listing.unreadable} lines of the log could not be read.</p>}
    </section>
  )
}
