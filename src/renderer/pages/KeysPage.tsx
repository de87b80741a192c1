import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { KeyTable, ageInDays, sortValue, type KeyRow, type Sort, type SortColumn } from '../components/KeyTable'
import { KeyDetails } from '../components/KeyDetails'
import { FirstRun } from '../components/FirstRun'
import { failureWords } from '../stores/standing-toasts'
import { useApp } from '../stores/app-store'
import { useUi, type KeyChip } from '../stores/ui-store'

const STATUSES = ['all', 'active', 'inactive', 'expired', 'revoked'] as const
const DAY = 86_400_000
const UNUSED_DAYS = 60

const CHIPS: Array<{ id: KeyChip; label: string }> = [
  { id: 'due', label: 'Due for rotation' },
  { id: 'not-in-vault', label: 'Not in vault' },
  { id: 'plaintext', label: 'Used in plain text' },
  { id: 'unused', label: `Unused ${UNUSED_DAYS} days` }
]

export function KeysPage() {
  const { keys, providers, due, bindings, loaded, syncing, sync } = useApp()
  const { selectedKeyId, select, chips, toggleChip, open, searchFocus } = useUi()
  const [query, setQuery] = useState('')
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('all')
  const [providerId, setProviderId] = useState('all')
  const [organization, setOrganization] = useState('all')
  const [sort, setSort] = useState<Sort>()
  // Ages are counted from when the page opened; a key does not age visibly while it is open.
  const [openedAt] = useState(() => Date.now())
  const search = useRef<HTMLInputElement>(null)
  const deferredQuery = useDeferredValue(query)

  useEffect(() => {
    if (searchFocus) search.current?.focus()
  }, [searchFocus])

  // Built once per list change: each row, its search text, and the chips it belongs to.
  const indexed = useMemo(() => {
    const names = new Map(providers.map((p) => [p.id, p.name]))
    const orgs = new Map(providers.flatMap((p) => (p.kind === 'lybic' && p.orgId ? [[p.id, p.orgId] as const] : [])))
    const dueById = new Map(due.map((d) => [d.keyId, d.message]))
    const plaintext = new Set(bindings.filter((b) => b.placement === 'inline').map((b) => b.keyId))
    return keys.map((key) => {
      const providerName = names.get(key.providerId) ?? key.providerId
      const row: KeyRow = {
        key,
        providerName,
        organization: orgs.get(key.providerId),
        ageDays: ageInDays(key.createdAt, openedAt),
        due: dueById.get(key.id)
      }
      const lastUse = key.lastUsedAt ? Date.parse(key.lastUsedAt) : undefined
      const tags: Record<KeyChip, boolean> = {
        due: Boolean(row.due),
        'not-in-vault': !key.inVault && key.status !== 'revoked',
        plaintext: plaintext.has(key.id),
        unused: key.status !== 'revoked' && row.ageDays >= UNUSED_DAYS && (lastUse === undefined || openedAt - lastUse >= UNUSED_DAYS * DAY)
      }
      const text = `${key.name}\u0000${key.prefix}\u0000${providerName}\u0000${row.organization ?? ''}\u0000${key.tags?.join(' ') ?? ''}\u0000${key.notes ?? ''}`
      return { row, tags, text: text.toLowerCase() }
    })
  }, [keys, providers, due, bindings, openedAt])

  const counts = useMemo(() => {
    const c: Record<KeyChip, number> = { due: 0, 'not-in-vault': 0, plaintext: 0, unused: 0 }
    for (const { tags } of indexed) for (const chip of CHIPS) if (tags[chip.id]) c[chip.id]++
    return c
  }, [indexed])

  const rows = useMemo(() => {
    const q = deferredQuery.trim().toLowerCase()
    const out: KeyRow[] = []
    for (const { row, tags, text } of indexed) {
      if (status !== 'all' && row.key.status !== status) continue
      if (providerId !== 'all' && row.key.providerId !== providerId) continue
      if (organization !== 'all' && row.organization !== organization) continue
      if (chips.some((c) => !tags[c])) continue
      if (q && !text.includes(q)) continue
      out.push(row)
    }
    if (!sort) return out
    const dir = sort.descending ? -1 : 1
    return out.sort((a, b) => {
      const x = sortValue(a, sort.column)
      const y = sortValue(b, sort.column)
      // Empty values (never used, no expiry) go last whichever way the column is sorted.
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1
      return x < y ? -dir : x > y ? dir : 0
    })
  }, [indexed, deferredQuery, status, providerId, organization, chips, sort])
  const organizations = [...new Set(providers.flatMap((p) => (p.kind === 'lybic' && p.orgId ? [p.orgId] : [])))].sort()
  const onSort = (column: SortColumn) =>
    setSort((s) => (s?.column !== column ? { column, descending: false } : s.descending ? undefined : { column, descending: true }))

  const selected = keys.find((k) => k.id === selectedKeyId)

  return (
    <section className="page keys-page" aria-labelledby="keys-title">
      <header className="page-head">
        <h1 id="keys-title">Keys</h1>
        <div className="actions">
          <button onClick={() => void sync()} disabled={syncing} aria-busy={syncing}>
            {syncing ? 'Syncing…' : 'Sync'}
          </button>
          <button onClick={() => open({ kind: 'import' })}>Paste a key</button>
          <button className="primary" onClick={() => open({ kind: 'create' })}>
            New key
          </button>
        </div>
      </header>
      <FirstRun />
      <SyncState />
      <div className="toolbar">
        <input
          ref={search}
          type="search"
          placeholder="Search name, prefix, provider, tags, notes"
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
      <div className="chips" role="group" aria-label="Show only">
        {CHIPS.map((c) => (
          <button key={c.id} className="chip" aria-pressed={chips.includes(c.id)} onClick={() => toggleChip(c.id)}>
            {c.label}
            <span className="n">{counts[c.id]}</span>
          </button>
        ))}
        {due.length > 0 && (
          <button className="chip act" onClick={() => open({ kind: 'rotate-due' })}>
            Rotate all due ({due.length})
          </button>
        )}
      </div>
      <div className="split">
        {loaded && keys.length === 0 ? (
          <div className="empty">
            <h2>No keys yet</h2>
            <p>
              Choose New key to create one — the Local sandbox runs on this machine and needs no account — or paste a key you already have
              from Lyceum, VibeXP, Lybic or Lynxo.
            </p>
          </div>
        ) : loaded && rows.length === 0 ? (
          <div className="empty">
            <p>No key matches these filters.</p>
          </div>
        ) : (
          <KeyTable rows={rows} selectedId={selectedKeyId} sort={sort} onSort={onSort} onSelect={select} onOpen={select} />
        )}
        {selected && <KeyDetails key={selected.id} keyMeta={selected} onClose={() => select(undefined)} />}
      </div>
    </section>
  )
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
