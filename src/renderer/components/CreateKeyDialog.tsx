import { useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { useApp, type AppState } from '../stores/app-store'
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

/**
 * The providers that create keys by API, and the one New key offers: the provider just connected,
 * else the newest real one, else the Local sandbox.
 */
function providerChoice(state: Pick<AppState, 'providers' | 'catalog' | 'lastConnected'>, chosen?: string) {
  const managed = state.providers.filter(
    (p) => state.catalog.find((c) => c.kind === p.kind)?.management === 'api' || (p.kind === 'custom' && p.custom?.keyApi)
  )
  const preferred =
    managed.find((p) => p.id === state.lastConnected) ??
    [...managed].filter((p) => p.kind !== 'sandbox').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ??
    managed[0]
  return { managed, providerId: chosen && managed.some((p) => p.id === chosen) ? chosen : (preferred?.id ?? '') }
}

/** Resolves once the window has its providers (at once when it has them). */
const providersLoaded = () =>
  new Promise<void>((resolve) => {
    if (useApp.getState().loaded) return resolve()
    const stop = useApp.subscribe((s) => {
      if (!s.loaded) return
      stop()
      resolve()
    })
  })

function CreateForm(props: { onClose: () => void; onCreated: (created: Created) => void }) {
  const app = useApp()
  const { loaded } = app
  const attempt = useAttempt()
  const fail = useFail()
  // Worked out again until the person picks: the list may still be loading when the dialog opens.
  const [chosen, setProviderId] = useState<string>()
  const { managed, providerId } = providerChoice(app, chosen)
  const [name, setName] = useState('')
  const [expires, setExpires] = useState('')
  const [busy, setBusy] = useState(false)
  const nameInvalid = useFieldInvalid('name')
  const open = useRef(true)
  useEffect(() => {
    open.current = true
    return () => {
      open.current = false
    }
  }, [])

  const create = async () => {
    setBusy(true)
    // Create pressed before the providers arrived goes ahead as soon as they do, with the provider offered then.
    await providersLoaded()
    // Closed meanwhile: the person changed their mind, nothing is created.
    if (!open.current) return
    const target = providerChoice(useApp.getState(), chosen).providerId
    const result = target
      ? await attempt(() =>
          api['keys.create']({
            providerId: target,
            name: name.trim(),
            expiresAt: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : undefined
          })
        )
      : undefined
    setBusy(false)
    if (result) props.onCreated({ id: result.key.id, name: result.key.name, providerId: target })
  }

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return fail('Give the key a name that says where it will be used.', 'name')
    if (expires && Date.parse(`${expires}T23:59:59Z`) < Date.now()) return fail('Choose an expiry date in the future.', 'expiresAt')
    void create()
  }

  const pending = busy
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
