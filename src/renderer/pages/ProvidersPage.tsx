import { useState } from 'react'
import type { Provider } from '../../shared/schemas'
import { api } from '../api'
import { ConfirmDialog } from '../components/Dialog'
import { ConnectForm, CustomForm } from '../components/ConnectProviderForm'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'

export function ProvidersPage() {
  const { providers, catalog, keys, attempt, notify } = useApp()
  const [kind, setKind] = useState<string>('')
  const [removing, setRemoving] = useState<string>()
  // "Sign in again" on a sync failure opens that provider's form here.
  const editing = useUi((s) => s.editProviderId)
  const setEditing = useUi((s) => s.editProvider)
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
                {p.kind === 'sandbox' || p.mcpUrl || p.custom?.mcpUrl || catalog.find((c) => c.kind === p.kind)?.defaultMcpUrl ? (
                  <span className="muted">
                    MCP server:{' '}
                    {p.kind === 'sandbox'
                      ? 'built in'
                      : (p.mcpUrl ?? p.custom?.mcpUrl ?? catalog.find((c) => c.kind === p.kind)?.defaultMcpUrl)}
                  </span>
                ) : (
                  <span className="error-text">No MCP server URL: its keys cannot be added to a client until you add one (Edit).</span>
                )}
              </div>
              <div className="small">
                {active} active key{active === 1 ? '' : 's'}
                {limit && ` of at most ${limit}`}
                {limit && active >= limit - 5 && <em className="tag warn">{active >= limit ? 'at the limit' : 'near the limit'}</em>}
              </div>
              <RotationDays provider={p} />
              <div className="actions">
                <button onClick={() => void useApp.getState().sync(p.id)}>Sync</button>
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
          onConfirm={async () => {
            await api['providers.remove']({ providerId: removing })
            notify('success', 'Provider removed.', { source: 'Providers' })
          }}
        />
      )}
    </section>
  )
}

/** How often this provider's keys should be rotated; a wrong number is said next to the field, in words. */
function RotationDays(props: { provider: Provider }) {
  const p = props.provider
  const [error, setError] = useState<string>()
  const attempt = useApp((s) => s.attempt)
  const fallback = useApp((s) => s.settings?.rotationDays ?? 90)
  return (
    <div className="small">
      <label className="inline">
        Rotate keys every
        <input
          type="number"
          min={1}
          max={3650}
          aria-label={`Rotation age in days for ${p.name}`}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `days-error-${p.id}` : undefined}
          defaultValue={p.rotationDays ?? ''}
          placeholder={String(fallback)}
          onBlur={(e) => {
            const text = e.target.value.trim()
            const days = text ? Number(text) : null
            if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650))
              return setError('Enter a whole number of days from 1 to 3650, or leave it empty for the default.')
            setError(undefined)
            if (days !== (p.rotationDays ?? null)) void attempt(() => api['providers.setRotationDays']({ providerId: p.id, days }), p.name)
          }}
        />
        days
      </label>
      {error && (
        <span className="field-error" role="alert" id={`days-error-${p.id}`}>
          {error}
        </span>
      )}
    </div>
  )
}
