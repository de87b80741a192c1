import { useState } from 'react'
import { api } from '../api'
import { ConfirmDialog } from '../components/Dialog'
import { ConnectForm, CustomForm } from '../components/ConnectProviderForm'
import { useApp } from '../stores/app-store'

export function ProvidersPage() {
  const { providers, catalog, keys, attempt, notify } = useApp()
  const [kind, setKind] = useState<string>('')
  const [removing, setRemoving] = useState<string>()
  const [editing, setEditing] = useState<string>()
  const info = catalog.find((c) => c.kind === kind)

  return (
    <section className="page" aria-labelledby="providers-title">
      <header className="page-head">
        <h1 id="providers-title">Providers</h1>
      </header>
      <ul className="cards">
        {providers.map((p) => {
          const active = keys.filter((k) => k.providerId === p.id && k.status === 'active').length
          const limit = catalog.find((c) => c.kind === p.kind)?.maxActiveKeys
          return (
            <li key={p.id} className="card">
              <div className="card-head">
                <strong>{p.name}</strong>
                <span className="muted">{p.kind}</span>
                {p.orgId && <span className="muted">org {p.orgId}</span>}
              </div>
              <div className="muted small">
                {p.sync.error ? (
                  <span className="error-text">
                    Sync failed: {p.sync.error}
                    {p.sync.lastSyncedAt && ` (last synced ${new Date(p.sync.lastSyncedAt).toLocaleString()})`}
                  </span>
                ) : p.sync.lastSyncedAt ? (
                  `Synced ${new Date(p.sync.lastSyncedAt).toLocaleString()}`
                ) : (
                  'Not synced yet'
                )}
              </div>
              <div className="small">
                {active} active key{active === 1 ? '' : 's'}
                {limit && ` of at most ${limit}`}
                {limit && active >= limit - 5 && <em className="tag warn">{active >= limit ? 'at the limit' : 'near the limit'}</em>}
              </div>
              <label className="small inline">
                Rotate keys every
                <input
                  type="number"
                  min={1}
                  max={3650}
                  aria-label={`Rotation age in days for ${p.name}`}
                  defaultValue={p.rotationDays ?? ''}
                  placeholder="90"
                  onBlur={(e) => {
                    const days = e.target.value ? Number(e.target.value) : null
                    if (days !== (p.rotationDays ?? null)) void attempt(() => api['providers.setRotationDays']({ providerId: p.id, days }))
                  }}
                />
                days
              </label>
              <div className="actions">
                <button onClick={() => void attempt(() => api['keys.sync']({ providerId: p.id }))}>Sync</button>
                {p.kind === 'custom' && (
                  <button
                    onClick={() =>
                      void attempt(async () => {
                        const { json } = await api['providers.exportCustom']({ providerId: p.id })
                        await navigator.clipboard?.writeText(json)
                        notify('success', 'Provider description copied as JSON (no secrets in it).')
                      })
                    }
                  >
                    Export JSON
                  </button>
                )}
                {p.kind !== 'sandbox' && p.kind !== 'custom' && (
                  <button onClick={() => setEditing(editing === p.id ? undefined : p.id)} aria-expanded={editing === p.id}>
                    Edit
                  </button>
                )}
                {p.kind !== 'sandbox' && (
                  <button className="danger" onClick={() => setRemoving(p.id)}>
                    Remove
                  </button>
                )}
              </div>
              {editing === p.id && catalog.find((c) => c.kind === p.kind) && (
                <ConnectForm
                  key={`edit-${p.id}`}
                  info={catalog.find((c) => c.kind === p.kind)!}
                  existing={p}
                  onDone={() => setEditing(undefined)}
                />
              )}
            </li>
          )
        })}
      </ul>
      <h2>Connect a provider</h2>
      <div className="kind-picker" role="group" aria-label="Service">
        {catalog
          .filter((c) => c.kind !== 'sandbox')
          .map((c) => (
            <button
              key={c.kind}
              className={kind === c.kind ? 'primary' : undefined}
              aria-pressed={kind === c.kind}
              onClick={() => setKind(c.kind)}
            >
              {c.label}
            </button>
          ))}
        <button className={kind === 'custom' ? 'primary' : undefined} aria-pressed={kind === 'custom'} onClick={() => setKind('custom')}>
          Custom…
        </button>
      </div>
      {info && <ConnectForm key={info.kind} info={info} onDone={() => setKind('')} />}
      {kind === 'custom' && <CustomForm onDone={() => setKind('')} />}
      {removing && (
        <ConfirmDialog
          title="Remove this provider?"
          body={<p>Keywarden forgets the provider, its keys and its sign-in. Nothing changes at the service.</p>}
          confirm="Remove"
          danger
          onClose={() => setRemoving(undefined)}
          onConfirm={() => {
            const id = removing
            setRemoving(undefined)
            void attempt(() => api['providers.remove']({ providerId: id }))
          }}
        />
      )}
    </section>
  )
}
