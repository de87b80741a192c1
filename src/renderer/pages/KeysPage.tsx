import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { KeyTable, ageInDays, type KeyRow } from '../components/KeyTable'
import { CreateKeyDialog } from '../components/CreateKeyDialog'
import { ImportKeyDialog } from '../components/ImportKeyDialog'
import { KeyDetails } from '../components/KeyDetails'
import { useApp } from '../stores/app-store'

const STATUSES = ['all', 'active', 'inactive', 'expired', 'revoked'] as const

export function KeysPage() {
  const { keys, providers, due, loaded, syncing, sync } = useApp()
  const [query, setQuery] = useState('')
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all')
  const [providerId, setProviderId] = useState('all')
  const [organization, setOrganization] = useState('all')
  const [selectedId, setSelectedId] = useState<string>()
  const [dialog, setDialog] = useState<'create' | 'import'>()
  // Ages are counted from when the page opened; a key does not age visibly while it is open.
  const [openedAt] = useState(() => Date.now())
  const search = useRef<HTMLInputElement>(null)
  const deferredQuery = useDeferredValue(query)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement
      if (e.key === '/' && !typing && !document.querySelector('[role="dialog"]')) {
        e.preventDefault()
        search.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // Built once per list change: the search text of each row, lower-cased, and its age.
  const indexed = useMemo(() => {
    const names = new Map(providers.map((p) => [p.id, p.name]))
    const orgs = new Map(providers.flatMap((p) => (p.kind === 'lybic' && p.orgId ? [[p.id, p.orgId] as const] : [])))
    const dueById = new Map(due.map((d) => [d.keyId, d.message]))
    return keys.map((key) => {
      const providerName = names.get(key.providerId) ?? key.providerId
      const row: KeyRow = {
        key,
        providerName,
        organization: orgs.get(key.providerId),
        ageDays: ageInDays(key.createdAt, openedAt),
        due: dueById.get(key.id)
      }
      return { row, text: `${key.name}\u0000${key.prefix}\u0000${providerName}\u0000${row.organization ?? ''}`.toLowerCase() }
    })
  }, [keys, providers, due, openedAt])

  const rows = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase()
    const out: KeyRow[] = []
    for (const { row, text } of indexed) {
      if (status !== 'all' && row.key.status !== status) continue
      if (providerId !== 'all' && row.key.providerId !== providerId) continue
      if (organization !== 'all' && row.organization !== organization) continue
      if (q && !text.includes(q)) continue
      out.push(row)
    }
    return out
  }, [indexed, deferredQuery, status, providerId, organization])
  const organizations = [...new Set(providers.flatMap((p) => (p.kind === 'lybic' && p.orgId ? [p.orgId] : [])))].sort()

  const selected = keys.find((k) => k.id === selectedId)

  return (
    <section className="page keys-page" aria-labelledby="keys-title">
      <header className="page-head">
        <h1 id="keys-title">Keys</h1>
        <div className="actions">
          <button onClick={() => void sync()} disabled={syncing} aria-busy={syncing}>
            {syncing ? 'Syncing…' : 'Sync'}
          </button>
          <button onClick={() => setDialog('import')}>Paste a key</button>
          <button className="primary" onClick={() => setDialog('create')}>
            New key
          </button>
        </div>
      </header>
      <SyncState />
      <div className="toolbar">
        <input
          ref={search}
          type="search"
          placeholder="Search name, prefix, provider  ( / )"
          aria-label="Search keys"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
            <option value="all">all</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {organizations.length > 0 && (
          <label>
            Organization
            <select value={organization} onChange={(e) => setOrganization(e.target.value)}>
              <option value="all">all</option>
              {organizations.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted" data-testid="key-count" data-ready={loaded ? 'true' : 'false'}>
          {rows.length.toLocaleString('en-US')} {rows.length === 1 ? 'key' : 'keys'}
          {rows.length !== keys.length ? ` of ${keys.length.toLocaleString('en-US')}` : ''}
        </span>
      </div>
      <div className="split">
        {loaded && keys.length === 0 ? (
          <div className="empty">
            <h2>No keys yet</h2>
            <p>
              Create one in the Local sandbox to try Keywarden — it runs on this machine and needs no account. Or paste a key you already
              have from Lyceum, VibeXP, Lybic or Lynxo.
            </p>
            <div className="actions">
              <button className="primary" onClick={() => setDialog('create')}>
                Create a sandbox key
              </button>
              <button onClick={() => setDialog('import')}>Paste a key</button>
            </div>
          </div>
        ) : loaded && rows.length === 0 ? (
          <div className="empty">
            <p>No key matches these filters.</p>
          </div>
        ) : (
          <KeyTable rows={rows} selectedId={selectedId} onSelect={setSelectedId} onOpen={setSelectedId} />
        )}
        {selected && <KeyDetails key={selected.id} keyMeta={selected} onClose={() => setSelectedId(undefined)} />}
      </div>
      {dialog === 'create' && <CreateKeyDialog onClose={() => setDialog(undefined)} onCreated={setSelectedId} />}
      {dialog === 'import' && <ImportKeyDialog onClose={() => setDialog(undefined)} onImported={setSelectedId} />}
    </section>
  )
}

/** How a failed sync reads in the notice: out of reach, refused sign-in, rate limited, or otherwise. */
function failureWords(code: string | undefined): string {
  if (code === 'unauthorized') return 'refused the saved sign-in (sign in again under Providers)'
  if (code === 'rate-limited') return 'is rate limiting requests (try again later)'
  if (code === 'provider-unreachable') return 'could not be reached'
  if (code === 'provider-bad-response') return 'sent an answer Keywarden could not read'
  return 'could not be synced'
}

/** Whether the list is fresh: the saved list shows at once, and says when it could not be refreshed. */
function SyncState() {
  const providers = useApp((s) => s.providers)
  const failed = providers.filter((p) => p.sync.error)
  const last = providers
    .map((p) => p.sync.lastSyncedAt)
    .filter((d): d is string => Boolean(d))
    .sort()[0]
  if (failed.length) {
    return (
      <p className="stale" role="status">
        Showing the saved list: {failed.map((p) => `${p.name} ${failureWords(p.sync.errorCode)}`).join('; ')}
        {last ? ` (last synced ${new Date(last).toLocaleString()})` : ''}.
      </p>
    )
  }
  return last ? <p className="muted small">Synced {new Date(last).toLocaleString()}</p> : null
}
