import { useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

/** Creates a key; its value is shown once here and dropped when the dialog closes. */
export function CreateKeyDialog(props: { onClose: () => void; onCreated: (keyId: string) => void }) {
  const { providers, catalog, attempt, notify, loaded } = useApp()
  const managed = providers.filter(
    (p) => catalog.find((c) => c.kind === p.kind)?.management === 'api' || (p.kind === 'custom' && p.custom?.keyApi)
  )
  // The list of providers may still be loading when the dialog opens: default to the first one
  // whenever it arrives, until the person picks one.
  const [chosen, setProviderId] = useState<string>()
  const providerId = chosen && managed.some((p) => p.id === chosen) ? chosen : (managed[0]?.id ?? '')
  const [name, setName] = useState('')
  const [expires, setExpires] = useState('')
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<{ id: string; name: string; secret: string }>()
  const [error, setError] = useState<string>()

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return setError('Give the key a name that says where it will be used.')
    setBusy(true)
    setError(undefined)
    const result = await attempt(() =>
      api['keys.create']({ providerId, name: name.trim(), expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : undefined })
    )
    setBusy(false)
    if (result) {
      setCreated({ id: result.key.id, name: result.key.name, secret: result.secret })
      props.onCreated(result.key.id)
    }
  }

  if (created) {
    return (
      <Dialog title="Key created" onClose={props.onClose}>
        <div className="dialog-body">
          <p>
            <strong>{created.name}</strong> is saved in your keychain. This is the only time its value is shown here.
          </p>
          <code className="secret" data-testid="created-secret">
            {created.secret}
          </code>
        </div>
        <footer className="dialog-foot">
          <button
            data-autofocus
            onClick={() =>
              void attempt(async () => {
                const r = await api['keys.copy']({ keyId: created.id })
                notify('success', `Copied — the clipboard clears in ${r.clearAfterSeconds} s.`)
              })
            }
          >
            Copy
          </button>
          <button className="primary" onClick={props.onClose}>
            Done
          </button>
        </footer>
      </Dialog>
    )
  }

  return (
    <Dialog title="New key" onClose={props.onClose}>
      <form onSubmit={submit}>
        <div className="dialog-body form">
          {!loaded ? (
            <p aria-busy="true">Loading your providers…</p>
          ) : managed.length === 0 ? (
            <p>No connected provider can create keys by API. Connect Lyceum, or use the Local sandbox.</p>
          ) : (
            <>
              <label>
                Provider
                <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
                  {managed.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Name
                <input
                  data-autofocus
                  value={name}
                  maxLength={200}
                  placeholder="Work laptop – Claude Code"
                  onChange={(e) => setName(e.target.value)}
                />
              </label>
              <label>
                Expires (optional)
                <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
              </label>
              {error && (
                <p className="field-error" role="alert">
                  {error}
                </p>
              )}
            </>
          )}
        </div>
        <footer className="dialog-foot">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={busy || managed.length === 0} aria-busy={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
