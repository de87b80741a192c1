import { useState } from 'react'
import type { KeyMeta } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { copyKey, mcpUrlOf } from './key-actions'
import { KeyUsedBy } from './KeyUsedBy'
import { RevealedValue, useRevealed } from './RevealedValue'

/** The selected key: its facts, notes and tags, where it is used, and every action on it. */
export function KeyDetails(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const k = props.keyMeta
  const { providers, due, catalog, attempt, notify } = useApp()
  const { open, editProvider } = useUi()
  const provider = providers.find((p) => p.id === k.providerId)
  const dueMessage = due.find((d) => d.keyId === k.id)?.message
  const { revealed, autoHide, reveal, hide } = useRevealed(k.id)
  const [busy, setBusy] = useState<string>()
  const usable = k.inVault && k.status !== 'revoked'
  const hasMcp = Boolean(mcpUrlOf(provider, catalog))

  const run = async (label: string, action: () => Promise<string | void>) => {
    setBusy(label)
    const message = await attempt(action, k.name)
    setBusy(undefined)
    if (message) notify('success', message, { source: k.name })
  }

  return (
    <aside className="details" aria-label={`Key ${k.name}`}>
      <header>
        <h2>{k.name}</h2>
        <button className="icon" aria-label="Close details" onClick={props.onClose}>
          ×
        </button>
      </header>
      <dl>
        <dt>Provider</dt>
        <dd>{provider?.name ?? k.providerId}</dd>
        <dt>Prefix</dt>
        <dd className="mono">{k.prefix}…</dd>
        <dt>Status</dt>
        <dd>
          <span className={`badge ${k.status}`}>{k.status}</span>
          {k.goneFromService && <span className="muted"> (removed at the service)</span>}
        </dd>
        <dt>Created</dt>
        <dd>{k.createdAt.slice(0, 10)}</dd>
        <dt>Last used</dt>
        <dd>{k.lastUsedAt?.slice(0, 10) ?? '—'}</dd>
        {k.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>{k.expiresAt.slice(0, 10)}</dd>
          </>
        )}
        {k.fingerprint && (
          <>
            <dt>Fingerprint</dt>
            <dd className="mono">{k.fingerprint}</dd>
          </>
        )}
        {k.scopes?.length ? (
          <>
            <dt>Permissions</dt>
            <dd>{k.scopes.join(', ')}</dd>
          </>
        ) : null}
        {k.requestCount !== undefined && (
          <>
            <dt>Requests</dt>
            <dd>{k.requestCount}</dd>
          </>
        )}
        {k.tags?.length ? (
          <>
            <dt>Tags</dt>
            <dd>{k.tags.join(', ')}</dd>
          </>
        ) : null}
        {k.notes && (
          <>
            <dt>Notes</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{k.notes}</dd>
          </>
        )}
      </dl>
      {!k.inVault && k.status !== 'revoked' && (
        <p className="hint">This key was created elsewhere: its value is not in this vault. Paste it to import it.</p>
      )}
      {dueMessage && <p className="hint warn">{dueMessage} Rotate it.</p>}
      {usable && !hasMcp && (
        <div className="hint warn">
          {provider?.name} has no MCP server URL, so Keywarden cannot add this key to a client yet.{' '}
          {provider && (
            <button className="link" onClick={() => editProvider(provider.id)}>
              Add it under Providers
            </button>
          )}
        </div>
      )}
      {revealed !== undefined && <RevealedValue revealed={revealed} autoHide={autoHide} onHide={hide} />}
      <div className="action-grid">
        <button disabled={!usable || !!busy} onClick={() => void copyKey(k)}>
          Copy
        </button>
        {revealed === undefined && (
          <button disabled={!usable || !!busy} onClick={() => void attempt(reveal, k.name)}>
            Reveal
          </button>
        )}
        <button
          disabled={!usable || !!busy}
          onClick={() =>
            void run('validate', async () => {
              const r = await api['keys.validate']({ keyId: k.id })
              if (!r.valid) throw new Error(r.message)
              return r.message
            })
          }
        >
          {busy === 'validate' ? 'Checking…' : 'Check with service'}
        </button>
        {k.status !== 'revoked' && (
          <button
            disabled={!!busy || !k.remoteId}
            onClick={() =>
              void run('toggle', async () => {
                const r = await api['keys.setActive']({ keyId: k.id, active: k.status !== 'active' })
                return `"${r.name}" is now ${r.status}.`
              })
            }
          >
            {k.status === 'active' ? 'Deactivate' : 'Activate'}
          </button>
        )}
        <button
          disabled={!usable || k.status !== 'active' || !hasMcp}
          title={!hasMcp ? `${provider?.name ?? 'This provider'} has no MCP server URL` : undefined}
          onClick={() => open({ kind: 'inject', keyId: k.id })}
        >
          Add to…
        </button>
        <button disabled={!usable} onClick={() => open({ kind: 'rotate', keyId: k.id })}>
          Rotate
        </button>
        <button onClick={() => open({ kind: 'rename', keyId: k.id })}>Rename…</button>
        {k.status !== 'revoked' && k.remoteId ? (
          <button className="danger" disabled={!!busy} onClick={() => open({ kind: 'revoke', keyId: k.id })}>
            Revoke
          </button>
        ) : (
          <button disabled={!!busy} onClick={() => open({ kind: 'forget', keyId: k.id })}>
            Remove from vault
          </button>
        )}
      </div>
      <KeyUsedBy keyMeta={k} />
    </aside>
  )
}
