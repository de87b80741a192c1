import { useState } from 'react'
import type { KeyMeta } from '../../shared/schemas'
import { api, messageOf } from '../api'
import { useApp, type ClientListing } from '../stores/app-store'
import { DiffView } from './DiffView'
import { useFail } from './message-scope'

export interface PlannedWrite {
  client: ClientListing
  preview: Awaited<ReturnType<(typeof api)['bindings.preview']>>
}

/** One masked diff per file, then one write for all of them; the toast afterwards undoes them all. */
export function InjectPreviews(props: { keyMeta: KeyMeta; previews: PlannedWrite[]; onBack: () => void; onDone: () => void }) {
  const notify = useApp((s) => s.notify)
  const fail = useFail()
  const [busy, setBusy] = useState(false)
  const [left, setLeft] = useState(props.previews)
  const [written, setWritten] = useState<Array<{ label: string; serverName: string; changeId: string; afterWrite: string }>>([])
  const [finished, setFinished] = useState<typeof written>()

  const undoAll = (changes: typeof written) => () =>
    void useApp.getState().attempt(async () => {
      for (const c of [...changes].reverse()) await api['changes.undo']({ changeId: c.changeId })
      notify('success', `Undone: ${changes.map((c) => `"${c.serverName}" in ${c.label}`).join(', ')}.`, { source: 'Add to…' })
    }, 'Add to…')

  const apply = async () => {
    setBusy(true)
    const done = [...written]
    const failed: string[] = []
    const remaining: PlannedWrite[] = []
    for (const w of left) {
      try {
        const r = await api['bindings.apply']({ planId: w.preview.planId })
        done.push({ label: w.client.label, serverName: r.binding.serverName, changeId: r.changeId, afterWrite: w.client.afterWrite })
      } catch (error) {
        failed.push(`${w.client.label}: ${messageOf(error)}`)
        remaining.push(w)
      }
    }
    setBusy(false)
    setWritten(done)
    setLeft(remaining)
    if (failed.length) {
      const ok = done.length ? `Written: ${done.map((d) => d.label).join(', ')}. ` : ''
      return fail(`${ok}Not written — ${failed.join(' ')} Go back to preview again.`)
    }
    const undo = { label: 'Undo', run: undoAll(done) }
    if (done.length === 1) {
      notify('success', `Added "${done[0]!.serverName}" to ${done[0]!.label}. ${done[0]!.afterWrite}`, {
        source: 'Add to…',
        key: `added:${props.keyMeta.id}`,
        action: undo
      })
      return props.onDone()
    }
    // Several clients: each one's next step is listed in the dialog, not joined into a toast that would cover the page.
    notify('success', `Added "${props.keyMeta.name}" to ${done.length} clients.`, {
      source: 'Add to…',
      key: `added:${props.keyMeta.id}`,
      action: undo
    })
    setFinished(done)
  }

  if (finished)
    return (
      <>
        <div className="dialog-body">
          <p>Written. What to do in each client:</p>
          <ul className="next-steps" aria-label="Next steps">
            {finished.map((d) => (
              <li key={d.changeId}>
                <strong>{d.label}</strong> ({d.serverName}): {d.afterWrite}
              </li>
            ))}
          </ul>
        </div>
        <footer className="dialog-foot">
          <button
            onClick={() => {
              undoAll(finished)()
              props.onDone()
            }}
          >
            Undo all
          </button>
          <button className="primary" autoFocus onClick={props.onDone}>
            Done
          </button>
        </footer>
      </>
    )

  return (
    <>
      <div className="dialog-body">
        {left.map(({ client, preview }) => (
          <section key={client.client} aria-label={`Change to ${client.label}`}>
            <h3>{client.label}</h3>
            <p>
              Keywarden will change <span className="mono break">{preview.file}</span>, adding <strong>{preview.serverName}</strong>.
              Nothing else in the file changes.
            </p>
            {preview.notes.map((n) => (
              <p key={n} className={preview.placement === 'inline' ? 'hint warn' : 'hint'}>
                {n}
              </p>
            ))}
            <DiffView diff={preview.diff} label={`Change preview for ${client.label}`} testId="inject-diff" />
          </section>
        ))}
      </div>
      <footer className="dialog-foot">
        <button onClick={props.onBack} disabled={busy}>
          Back
        </button>
        {/* The previews replace the form inside the open dialog: the write is where focus goes next. */}
        <button className="primary" autoFocus onClick={() => void apply()} disabled={busy || left.length === 0} aria-busy={busy}>
          {left.length === 1 ? `Write to ${left[0]!.client.label}` : `Write ${left.length} files`}
        </button>
      </footer>
    </>
  )
}
