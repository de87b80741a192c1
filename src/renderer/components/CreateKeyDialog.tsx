import { useEffect, useEffectEvent, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { Dialog } from './Dialog'
import { mcpUrlOf } from './key-actions'
import { FieldError, useAttempt, useFail, useFieldInvalid, useNote } from './message-scope'
import { RevealedValue, useRevealed } from './RevealedValue'

type Created = { id: string; name: string; providerId: string }

/**
 * Creates a key. Its value goes to the keychain only: the answer carries none, and the value
 * reaches this window when the person presses Reveal or Copy, as from the key's details.
 */
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
  // Create pressed before the providers arrived: it goes ahead as soon as they do.
  const [waiting, setWaiting] = useState(false)
  const nameInvalid = useFieldInvalid('name')

  const create = useEffectEvent(async () => {
    setBusy(true)
    const result = await attempt(() =>
      api['keys.create']({ providerId, name: name.trim(), expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : undefined })
    )
    setBusy(false)
    if (result) props.onCreated({ id: result.key.id, name: result.key.name, providerId })
  })
  useEffect(() => {
    if (!waiting || !loaded) return
    setWaiting(false)
    if (managed.length > 0) void create()
  }, [waiting, loaded, managed.length])

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return fail('Give the key a name that says where it will be used.', 'name')
    if (expires && Date.parse(`${expires}T23:59:59Z`) < Date.now()) return fail('Choose an expiry date in the future.', 'expiresAt')
    if (!loaded) return setWaiting(true)
    void create()
  }

  const pending = busy || waiting
  return (
    <form onSubmit={submit}>
      {/* The fields are there from the first frame: a person who opened the dialog with the
          keyboard types into Name at once, even while the providers are still loading. */}
      <div className="dialog-body form">
        {loaded && managed.length === 0 && <p>No connected provider can create keys by API. Connect Lyceum, or use the Local sandbox.</p>}
        <label>
          Provider
          <select value={providerId} disabled={!loaded} aria-busy={!loaded} onChange={(e) => setProviderId(e.target.value)}>
            {!loaded && <option value="">Loading your providers…</option>}
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
      </div>
      <footer className="dialog-foot">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button className="primary" type="submit" disabled={pending || (loaded && managed.length === 0)} aria-busy={pending}>
          {pending ? 'Creating…' : 'Create'}
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
  const { revealed, autoHide, reveal, hide } = useRevealed(created.id)
  return (
    <>
      <div className="dialog-body">
        <p>
          <strong>{created.name}</strong> is saved in your keychain. Copy or reveal it here or, any time, from the key&apos;s details.
        </p>
        {revealed && <RevealedValue revealed={revealed} autoHide={autoHide} onHide={hide} />}
        <div className="actions">
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
          {!revealed && <button onClick={() => void attempt(reveal)}>Reveal</button>}
        </div>
        <p className="muted small">Next: add it to a client, so the client uses it without the key being pasted anywhere.</p>
      </div>
      <footer className="dialog-foot">
        {/* The form is replaced inside the open dialog: focus moves to the next step. */}
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
