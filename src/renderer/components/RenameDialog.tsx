import { useState } from 'react'
import type { KeyMeta } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'
import { FieldError, useAttempt, useFail, useFieldInvalid } from './message-scope'

/** Rename a key and keep notes and tags with it; this vault only, the service is not told. */
export function RenameDialog(props: { keyMeta: KeyMeta; onClose: () => void }) {
  return (
    <Dialog title={`Rename "${props.keyMeta.name}"`} onClose={props.onClose} fields={['name', 'notes', 'tags']}>
      <RenameForm {...props} />
    </Dialog>
  )
}

function RenameForm(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const k = props.keyMeta
  const notify = useApp((s) => s.notify)
  const attempt = useAttempt()
  const fail = useFail()
  const [name, setName] = useState(k.name)
  const [notes, setNotes] = useState(k.notes ?? '')
  const [tags, setTags] = useState((k.tags ?? []).join(', '))
  const [busy, setBusy] = useState(false)
  const nameInvalid = useFieldInvalid('name')
  const tagsInvalid = useFieldInvalid('tags')
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return fail('Give the key a name.', 'name')
    const list = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    if (list.some((t) => t.length > 40)) return fail('Tags are at most 40 characters each.', 'tags')
    setBusy(true)
    const r = await attempt(() => api['keys.update']({ keyId: k.id, name: name.trim(), notes, tags: list }))
    setBusy(false)
    if (!r) return
    notify('success', `Saved "${r.name}".`)
    props.onClose()
  }
  return (
    <form onSubmit={submit}>
      <div className="dialog-body form">
        <label>
          Name
          <input data-autofocus value={name} maxLength={200} aria-invalid={nameInvalid} onChange={(e) => setName(e.target.value)} />
          <FieldError field="name" />
        </label>
        <label>
          Notes
          <textarea rows={3} value={notes} maxLength={2000} onChange={(e) => setNotes(e.target.value)} />
          <FieldError field="notes" />
        </label>
        <label>
          Tags (separated by commas)
          <input value={tags} placeholder="work, ci" aria-invalid={tagsInvalid} onChange={(e) => setTags(e.target.value)} />
          <FieldError field="tags" />
        </label>
        <p className="muted small">
          Only this vault changes; {k.remoteId ? 'the service keeps its own name for the key.' : 'nothing is sent anywhere.'}
        </p>
      </div>
      <footer className="dialog-foot">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button className="primary" type="submit" disabled={busy} aria-busy={busy}>
          Save
        </button>
      </footer>
    </form>
  )
}
