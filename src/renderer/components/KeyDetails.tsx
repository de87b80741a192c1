import { useState } from 'react'
import type { KeyMeta } from '../../shared/schemas'
import { api } from '../api'
import { useApp, whereBound } from '../stores/app-store'
import { ConfirmDialog } from './Dialog'
import { InjectDialog } from './InjectDialog'
import { RotationWizard } from './RotationWizard'

/** The selected key: its facts, where it is used, and every action on it. */
export function KeyDetails(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const k = props.keyMeta
  const { providers, bindings, clients, due, attempt, notify } = useApp()
  const provider = providers.find((p) => p.id === k.providerId)
  const used = bindings.filter((b) => b.keyId === k.id)
  const dueMessage = due.find((d) => d.keyId === k.id)?.message
  const [revealed, setRevealed] = useState<string>()
  const [dialog, setDialog] = useState<'revoke' | 'inject' | 'rotate' | 'forget'>()
  const [busy, setBusy] = useState<string>()
  const usable = k.inVault && k.status !== 'revoked'

  const run = async (label: string, action: () => Promise<string | void>) => {
    setBusy(label)
    const message = await attempt(action)
    setBusy(undefined)
    if (message) notify('success', message)
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
      </dl>
      {!k.inVault && k.status !== 'revoked' && (
        <p className="hint">This key was created elsewhere: its value is not in this vault. Paste it to import it.</p>
      )}
      {dueMessage && <p className="hint warn">{dueMessage} Rotate it.</p>}
      {revealed !== undefined && (
        <div className="reveal">
          <code className="secret" data-testid="revealed-secret">
            {revealed}
          </code>
          <button onClick={() => setRevealed(undefined)}>Hide</button>
        </div>
      )}
      <div className="action-grid">
        <button
          disabled={!usable || !!busy}
          onClick={() =>
            void run(
              'copy',
              async () => `Copied — the clipboard clears in ${(await api['keys.copy']({ keyId: k.id })).clearAfterSeconds} s.`
            )
          }
        >
          Copy
        </button>
        {revealed === undefined && (
          <button
            disabled={!usable || !!busy}
            onClick={() => void attempt(async () => setRevealed((await api['keys.reveal']({ keyId: k.id })).secret))}
          >
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
        <button disabled={!usable || k.status !== 'active'} onClick={() => setDialog('inject')}>
          Add to…
        </button>
        <button disabled={!usable} onClick={() => setDialog('rotate')}>
          Rotate
        </button>
        {k.status !== 'revoked' && k.remoteId && (
          <button className="danger" disabled={!!busy} onClick={() => setDialog('revoke')}>
            Revoke
          </button>
        )}
        {(!k.remoteId || k.status === 'revoked') && (
          <button disabled={!!busy} onClick={() => setDialog('forget')}>
            Remove from vault
          </button>
        )}
      </div>
      <h3>Used by</h3>
      {used.length === 0 ? (
        <p className="muted">No tool uses this key through Keywarden yet.</p>
      ) : (
        <ul className="bindings">
          {used.map((b) => (
            <li key={b.id}>
              <strong>{b.serverName}</strong> — {whereBound(clients, b)}{' '}
              {b.placement === 'inline' && <em className="tag warn">plaintext copy</em>}
              <div className="muted mono small">{b.file}</div>
            </li>
          ))}
        </ul>
      )}
      {dialog === 'revoke' && (
        <ConfirmDialog
          title={`Revoke "${k.name}"?`}
          body={
            <p>
              {provider?.name} will reject <span className="mono">{k.prefix}…</span> at once.{' '}
              {used.length > 0 &&
                `${used.length} tool config${used.length === 1 ? '' : 's'} still use it — rotate instead to keep them working. `}
              This cannot be undone.
            </p>
          }
          confirm="Revoke key"
          danger
          onClose={() => setDialog(undefined)}
          onConfirm={() => {
            setDialog(undefined)
            void run('revoke', async () => `Revoked "${(await api['keys.revoke']({ keyId: k.id })).name}".`)
          }}
        />
      )}
      {dialog === 'forget' && (
        <ConfirmDialog
          title={`Remove "${k.name}" from the vault?`}
          body={<p>The key stays as it is at {provider?.name}; Keywarden forgets it and deletes its value from your keychain.</p>}
          confirm="Remove"
          onClose={() => setDialog(undefined)}
          onConfirm={() => {
            setDialog(undefined)
            void run('forget', async () => {
              await api['keys.forget']({ keyId: k.id })
              props.onClose()
              return 'Removed from the vault.'
            })
          }}
        />
      )}
      {dialog === 'inject' && <InjectDialog keyMeta={k} onClose={() => setDialog(undefined)} />}
      {dialog === 'rotate' && <RotationWizard keyMeta={k} onClose={() => setDialog(undefined)} />}
    </aside>
  )
}
