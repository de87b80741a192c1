import { useEffect, useState } from 'react'
import type { ClientId, KeyMeta, Placement } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

type Preview = Awaited<ReturnType<(typeof api)['bindings.preview']>>

/** "Add to…": pick client and scope, read the diff, confirm; the result names the undo. */
export function InjectDialog(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const { attempt, notify, clients, loadClients } = useApp()
  // Clients and VS Code profiles may have appeared since the window opened.
  useEffect(() => {
    void attempt(loadClients)
  }, [attempt, loadClients])
  const [clientId, setClientId] = useState<ClientId>(clients[0]?.client ?? 'claude-code')
  const client = clients.find((c) => c.client === clientId)
  const [scope, setScope] = useState(client?.scopes[0]?.id ?? 'user')
  const [placement, setPlacement] = useState<Placement>(client?.placements[0]?.id ?? 'inline')
  const [projectPath, setProjectPath] = useState('')
  const [serverName, setServerName] = useState('')
  const [preview, setPreview] = useState<Preview>()
  const [busy, setBusy] = useState(false)
  /** A name already taken at the location: the person confirms the offered one or types another. */
  const [clash, setClash] = useState<{ taken: string; suggested: string }>()
  const scopes = client?.scopes ?? []
  const needsProject = scopes.find((s) => s.id === scope)?.project

  const pickClient = (id: ClientId) => {
    const c = clients.find((x) => x.client === id)
    if (!c) return
    setClientId(id)
    setScope(c.scopes[0]?.id ?? 'user')
    setPlacement(c.placements[0]?.id ?? 'inline')
    setPreview(undefined)
    setClash(undefined)
  }

  const doPreview = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const input = {
      keyId: props.keyMeta.id,
      client: clientId,
      scope,
      placement,
      projectPath: needsProject ? projectPath.trim() : undefined,
      serverName: serverName.trim() || undefined
    }
    const name = await attempt(() => api['bindings.checkName'](input))
    if (name?.taken && name.suggested) {
      // Never renamed behind the person's back: offer the free name, they confirm or change it.
      setClash({ taken: name.serverName, suggested: name.suggested })
      setServerName(name.suggested)
      setBusy(false)
      return
    }
    const p = name && (await attempt(() => api['bindings.preview']({ ...input, serverName: name.serverName })))
    setBusy(false)
    if (p) setPreview(p)
  }

  const apply = async () => {
    if (!preview) return
    setBusy(true)
    const r = await attempt(() => api['bindings.apply']({ planId: preview.planId }))
    setBusy(false)
    if (!r) return
    notify(
      'success',
      `Added "${r.binding.serverName}" to ${client?.label ?? clientId}. ${client?.afterWrite ?? ''} Undo it from the Tools screen if you change your mind.`
    )
    props.onClose()
  }

  return (
    <Dialog title={`Add "${props.keyMeta.name}" to a tool`} onClose={props.onClose} wide>
      {!preview ? (
        <form onSubmit={doPreview}>
          <div className="dialog-body form">
            <fieldset>
              <legend>Client</legend>
              {clients.map((c) => (
                <label key={c.client} className="radio">
                  <input type="radio" name="client" checked={clientId === c.client} onChange={() => pickClient(c.client)} /> {c.label}
                  {!c.installed && <em className="tag">not found on this computer</em>}
                </label>
              ))}
            </fieldset>
            <label>
              Scope
              <select
                value={scope}
                onChange={(e) => {
                  setScope(e.target.value)
                  setClash(undefined)
                }}
              >
                {scopes.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            {needsProject && (
              <label>
                Project folder
                <input
                  value={projectPath}
                  placeholder="/home/you/src/project"
                  onChange={(e) => {
                    setProjectPath(e.target.value)
                    setClash(undefined)
                  }}
                  required
                />
              </label>
            )}
            <fieldset>
              <legend>How the key is placed</legend>
              {client?.placements.map((p) => (
                <label key={p.id} className="radio">
                  <input type="radio" name="placement" checked={placement === p.id} onChange={() => setPlacement(p.id)} /> {p.label}
                </label>
              ))}
            </fieldset>
            <label>
              Server name (optional)
              <input value={serverName} placeholder="derived from provider and key" onChange={(e) => setServerName(e.target.value)} />
            </label>
            {clash && (
              <p className="hint warn" role="status">
                This file already has a server named <strong>{clash.taken}</strong> that Keywarden did not add. Use{' '}
                <strong>{clash.suggested}</strong> (filled in above), or type another name, then preview again.
              </p>
            )}
          </div>
          <footer className="dialog-foot">
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
            <button className="primary" type="submit" disabled={busy} aria-busy={busy}>
              Preview change
            </button>
          </footer>
        </form>
      ) : (
        <>
          <div className="dialog-body">
            <p>
              Keywarden will change <span className="mono">{preview.file}</span>, adding <strong>{preview.serverName}</strong>. Nothing else
              in the file changes.
            </p>
            {preview.notes.map((n) => (
              <p key={n} className={preview.placement === 'inline' ? 'hint warn' : 'hint'}>
                {n}
              </p>
            ))}
            <pre className="diff" aria-label="Change preview" data-testid="inject-diff">
              {preview.diff
                .split('\n')
                .slice(2)
                .map((line, i) => (
                  <span key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : undefined}>
                    {line}
                    {'\n'}
                  </span>
                ))}
            </pre>
          </div>
          <footer className="dialog-foot">
            <button onClick={() => setPreview(undefined)}>Back</button>
            <button className="primary" data-autofocus onClick={() => void apply()} disabled={busy} aria-busy={busy}>
              Write to {client?.label ?? clientId}
            </button>
          </footer>
        </>
      )}
    </Dialog>
  )
}
