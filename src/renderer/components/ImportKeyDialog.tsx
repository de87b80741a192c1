import { useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'
import { FieldError, useAttempt, useFieldInvalid } from './message-scope'

/** Lynxo's permission levels, in its own words. */
export const SCOPE_LABEL: Record<string, string> = {
  'read-only': 'Read only',
  'read-write': 'Read/Write',
  full: 'Full access',
  custom: 'Custom scopes'
}

/** Paste a key: Keywarden names its service from the prefix, checks it there, then stores it. */
export function ImportKeyDialog(props: { onClose: () => void; onImported: (keyId: string) => void }) {
  return (
    <Dialog title="Paste a key" onClose={props.onClose} fields={['value', 'name']}>
      <ImportForm {...props} />
    </Dialog>
  )
}

function ImportForm(props: { onClose: () => void; onImported: (keyId: string) => void }) {
  const { providers, catalog, notify } = useApp()
  const attempt = useAttempt()
  const valueInvalid = useFieldInvalid('value')
  const [value, setValue] = useState('')
  const [name, setName] = useState('')
  // Who chose the provider: the prefix of the text as it was, or the person. A key is only ever sent
  // to the service it was recognised for, or to one the person picked after the text changed.
  const [choice, setChoice] = useState<{ id: string; by: 'prefix' | 'person' }>({ id: '', by: 'person' })
  const providerId = choice.id
  const pick = (id: string) => setChoice({ id, by: 'person' })
  const [scope, setScope] = useState('')
  // The hint belongs to the text it was worked out for; a shorter or changed value shows none.
  const [recognised, setRecognised] = useState<{ value: string; hint: string }>()
  // The service the text was last recognised as (exactly), to notice when its shape changes.
  const shape = useRef<string | undefined>(undefined)
  const [offer, setOffer] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const v = value.trim()
    if (v.length < 6) return
    let live = true
    void api['keys.recognise']({ value: v }).then(
      (r) => {
        if (!live) return
        const kind = r.exact ? r.kind : undefined
        if (kind !== shape.current) {
          // The text no longer has the shape it had: a provider filled in for it, or picked for it, goes.
          const had = shape.current !== undefined
          setChoice((c) => (c.by === 'prefix' || had ? { id: '', by: 'person' } : c))
          shape.current = kind
        }
        setRecognised({ value: v, hint: r.message })
        // A near-miss is offered, never chosen for the person: the service's check decides.
        setOffer(r.exact === false && r.providerIds.length === 1 ? r.providerIds[0] : undefined)
        if (r.exact === true && r.providerIds.length === 1) setChoice({ id: r.providerIds[0]!, by: 'prefix' })
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [value])

  const hint = recognised && recognised.value === value.trim() ? recognised.hint : undefined
  const provider = providers.find((p) => p.id === providerId)
  const scopeChoices = catalog.find((c) => c.kind === provider?.kind)?.scopes
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const result = await attempt(() =>
      api['keys.import']({
        value: value.trim(),
        providerId: providerId || undefined,
        providerChosen: providerId && choice.by === 'person' ? true : undefined,
        name: name.trim() || 'Imported key',
        scopes: scopeChoices && scope ? [scope] : undefined
      })
    )
    setBusy(false)
    if (!result) return
    const under = providers.find((p) => p.id === result.key.providerId)?.name ?? 'its provider'
    for (const w of result.warnings) notify('info', w, { source: under })
    notify('success', `Imported "${result.key.name}" under ${under}; the service accepted it.`)
    props.onImported(result.key.id)
    props.onClose()
  }

  return (
    <form onSubmit={submit}>
      <div className="dialog-body form">
        <label>
          Key
          <input
            data-autofocus
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="lk_…, vib_…, lysk-…"
            aria-invalid={valueInvalid}
          />
          <FieldError field="value" />
        </label>
        {hint && <p className="hint">{hint}</p>}
        {offer && offer !== providerId && (
          <button type="button" onClick={() => pick(offer)}>
            Import under {providers.find((p) => p.id === offer)?.name} anyway
          </button>
        )}
        <label>
          Provider
          <select value={providerId} onChange={(e) => pick(e.target.value)}>
            <option value="">recognise from the prefix</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input value={name} maxLength={200} placeholder="Where is this key used?" onChange={(e) => setName(e.target.value)} />
        </label>
        {scopeChoices && (
          <label>
            Permissions (as set in the {provider?.name} dashboard)
            <select value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">not recorded</option>
              {scopeChoices.map((s) => (
                <option key={s} value={s}>
                  {SCOPE_LABEL[s] ?? s}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <footer className="dialog-foot">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button className="primary" type="submit" disabled={busy || value.trim().length < 8} aria-busy={busy}>
          {busy ? 'Checking…' : 'Check and import'}
        </button>
      </footer>
    </form>
  )
}
