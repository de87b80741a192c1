import { useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { Dialog } from './Dialog'
import { mcpUrlOf } from './key-actions'
import { FieldError, useAttempt, useFail, useFieldInvalid, useNote } from './message-scope'

type Created = { id: string; name: string; secret: string; providerId: string }

/** Creates a key; its value is shown here, and stays in the keychain to copy or reveal later. */
export function CreateKeyDialog(props: { onClose: () => void; onCreated: (keyId: string) => void }) {
  const [created, setCreated] = useState<Created>()
  return (
    <Dialog title={created ? 'Key created' : 'New key'} onClose={props.onClose} fields={['name', 'expiresAt']}>
      {created ? (
        <CreatedBody created={created} onClose={props.onClose} />
      ) : (
        <CreateForm
          onClose={props.onClose}
          onCreated={(c) => {
            setCreated(c)
            props.onCreated(c.id)
          }}
        />
      )}
    </Dialog>
  )
}

function CreateForm(props: { onClose: () => void; onCreated: (created: Created) => void }) {
  const { providers, catalog, loaded, lastConnected } = useApp()
  const attempt = useAttempt()
  const fail = useFail()
  const managed = providers.filter(
    (p) => catalog.find((c) => c.kind === p.kind)?.management === 'api' || (p.kind === 'custom' && p.custom?.keyApi)
  )
  // The provider just connected, else the newest real one, else the Local sandbox; the list may
  // still be loading when the dialog opens, so this is worked out again until the person picks.
  const preferred =
    managed.find((p) => p.id === lastConnected) ??
    [...managed].filter((p) => p.kind !== 'sandbox').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ??
    managed[0]
  const [chosen, setProviderId] = useState<string>()
  const providerId = chosen && managed.some((p) => p.id === chosen) ? chosen : (preferred?.id ?? '')
  const [name, setName] = useState('')
  const [expires, setExpires] = useState('')
  const [busy, setBusy] = useState(false)
  const nameInvalid = useFieldInvalid('name')
  // The form replaces "Loading…" once the providers arrive: focus moves to the name then, so a
  // person who opened the dialog with the keyboard types into it, not onto a button.
  const nameField = useRef<HTMLInputElement>(null)
  // (Ready at once, the dialog's own autofocus does it, and remembers where focus came from.)
  const ready = loaded && managed.length > 0
  const wasReady = useRef(ready)
  useEffect(() => {
    if (ready && !wasReady.current && !nameField.current?.closest('form')?.contains(document.activeElement)) nameField.current?.focus()
    wasReady.current = ready
  }, [ready])

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return fail('Give the key a name that says where it will be used.', 'name')
    if (expires && Date.parse(`${expires}T23:59:59Z`) < Date.now()) return fail('Choose an expiry date in the future.', 'expiresAt')
    setBusy(true)
    const result = await attempt(() =>
      api['keys.create']({ providerId, name: name.trim(), expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : undefined })
    )
    setBusy(false)
    if (result) props.onCreated({ id: result.key.id, name: result.key.name, secret: result.secret, providerId })
  }

  return (
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
                ref={nameField}
                data-autofocus
                value={name}
                maxLength={200}
                placeholder="Work laptop – Claude Code"
                aria-invalid={nameInvalid}
                onChange={(e) => setName(e.target.value)}
              />
              <FieldError field="name" />
            </label>
            <label>
              Expires (optional)
              <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
              <FieldError field="expiresAt" />
            </label>
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
  )
}

function CreatedBody(props: { created: Created; onClose: () => void }) {
  const { created } = props
  const attempt = useAttempt()
  const note = useNote()
  const open = useUi((s) => s.open)
  const provider = useApp((s) => s.providers.find((p) => p.id === created.providerId))
  const catalog = useApp((s) => s.catalog)
  const canAdd = Boolean(mcpUrlOf(provider, catalog))
  return (
    <>
      <div className="dialog-body">
        <p>
          <strong>{created.name}</strong> is saved in your keychain. Here is its value; you can copy or reveal it again any time from the
          key&apos;s details.
        </p>
        <code className="secret" data-testid="created-secret">
          {created.secret}
        </code>
        <p className="muted small">Next: add it to a client, so the client uses it without the key being pasted anywhere.</p>
      </div>
      <footer className="dialog-foot">
        <button
          onClick={() =>
            void attempt(async () => {
              const r = await api['keys.copy']({ keyId: created.id })
              note(`Copied — the clipboard clears in ${r.clearAfterSeconds} s.`)
            })
          }
        >
          Copy
        </button>
        {/* The value replaces the form inside the open dialog: focus moves to the next step. */}
        <button onClick={props.onClose} autoFocus={!canAdd}>
          Done
        </button>
        {canAdd && (
          <button className="primary" autoFocus onClick={() => open({ kind: 'inject', keyId: created.id })}>
            Add to a client…
          </button>
        )}
      </footer>
    </>
  )
}
