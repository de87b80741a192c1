import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp, type ClientListing } from '../stores/app-store'
import type { Scan } from './ClientCard'
import { DiffView } from './DiffView'
import { Dialog } from './Dialog'
import { useAttempt } from './message-scope'

type Server = Scan['servers'][number]
type Preview = Awaited<ReturnType<(typeof api)['bindings.previewMove']>>

/**
 * Takes a key out of a config file: the entry is rewritten in place to get the key from the
 * keychain. A key Keywarden does not hold yet is imported first. One change, one undo.
 */
export function MoveToKeychainDialog(props: { server: Server; client: ClientListing; onClose: () => void }) {
  return (
    <Dialog title={`Move "${props.server.serverName}" to the keychain`} onClose={props.onClose} wide>
      <MoveBody {...props} />
    </Dialog>
  )
}

function MoveBody(props: { server: Server; client: ClientListing; onClose: () => void }) {
  const s = props.server
  const attempt = useAttempt()
  const notify = useApp((st) => st.notify)
  const [preview, setPreview] = useState<Preview>()
  const [busy, setBusy] = useState(true)
  useEffect(() => {
    void (async () => {
      const p = await attempt(async () => {
        const bindingId =
          s.bindingId ??
          (
            await api['bindings.importFound']({
              client: s.client,
              scope: s.scope,
              projectPath: s.projectPath,
              serverName: s.serverName,
              name: `${s.serverName} (${s.label})`
            })
          ).id
        return api['bindings.previewMove']({ bindingId })
      })
      setBusy(false)
      if (p) setPreview(p)
    })()
  }, [attempt, s])
  const apply = async () => {
    setBusy(true)
    const r = await attempt(() => api['bindings.apply']({ planId: preview!.planId }))
    setBusy(false)
    if (!r) return
    notify(
      'success',
      `"${s.serverName}" in ${s.label} now gets its key from the keychain; the file holds no key. ${props.client.afterWrite}`,
      {
        source: props.client.label,
        action: {
          label: 'Undo',
          run: () => void useApp.getState().attempt(() => api['changes.undo']({ changeId: r.changeId }), props.client.label)
        }
      }
    )
    props.onClose()
  }
  return (
    <>
      <div className="dialog-body">
        {!preview && busy && <p aria-busy="true">Preparing the change…</p>}
        {preview && (
          <>
            <p>
              Keywarden will rewrite <strong>{preview.serverName}</strong> in <span className="mono break">{preview.file}</span> so that{' '}
              {props.client.label} gets the key from your keychain when it connects. The plain-text key leaves the file.
            </p>
            {preview.notes.map((n) => (
              <p key={n} className="hint">
                {n}
              </p>
            ))}
            <DiffView diff={preview.diff} label="Change preview" testId="move-diff" />
          </>
        )}
      </div>
      <footer className="dialog-foot">
        <button onClick={props.onClose}>Cancel</button>
        <button className="primary" disabled={busy || !preview} aria-busy={busy} onClick={() => void apply()}>
          Move to keychain
        </button>
      </footer>
    </>
  )
}
