import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

/** Paste a key: Keywarden names its service from the prefix, checks it there, then stores it. */
export function ImportKeyDialog(props: { onClose: () => void; onImported: (keyId: string) => void }) {
  const { providers, attempt, notify } = useApp()
  const [value, setValue] = useState('')
  const [name, setName] = useState('')
  const [providerId, setProviderId] = useState('')
  const [scopes, setScopes] = useState('')
  const [hint, setHint] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const v = value.trim()
    if (v.length < 6) return setHint(undefined)
    let live = true
    void api['keys.recognise']({ value: v }).then(
      (r) => {
        if (!live) return
        setHint(r.message)
        if (r.providerIds.length === 1) setProviderId(r.providerIds[0]!)
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [value])

  const provider = providers.find((p) => p.id === providerId)
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const result = await attempt(() =>
      api['keys.import']({
        value: value.trim(),
        providerId: providerId || undefined,
        name: name.trim() || 'Imported key',
        scopes: scopes.trim() ? scopes.split(',').map((s) => s.trim()).filter(Boolean) : undefined
      })
    )
    setBusy(false)
    if (!result) return
    for (const w of result.warnings) notify('info', w)
    notify('success', `Imported "${result.key.name}" under ${provider?.name ?? 'its provider'}; the service accepted it.`)
    props.onImported(result.key.id)
    props.onClose()
  }

  return (
    <Dialog title="Paste a key" onClose={props.onClose}>
      <form onSubmit={submit}>
        <div className="dialog-body form">
          <label>
            Key
            <input data-autofocus type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} placeholder="lk_…, vib_…, lysk-…" />
          </label>
          {hint && <p className="hint">{hint}</p>}
          <label>
            Provider
            <select value={providerId} onChange={(e) => setProviderId(e.target.value)}>
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
          {provider?.kind === 'lynxo' && (
            <label>
              Permissions (as set in the Lynxo dashboard, comma-separated)
              <input value={scopes} placeholder="read-only" onChange={(e) => setScopes(e.target.value)} />
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
    </Dialog>
  )
}
