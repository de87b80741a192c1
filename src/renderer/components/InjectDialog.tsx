import { useState } from 'react'
import type { ClientId, KeyMeta, Placement } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

const CLIENTS: Array<{ id: ClientId; label: string; scopes: Array<{ id: string; label: string; project?: boolean }>; placements: Placement[] }> = [
  {
    id: 'claude-code',
    label: 'Claude Code',
    scopes: [
      { id: 'user', label: 'User (all projects)' },
      { id: 'local', label: 'Local (one project, only you)', project: true },
      { id: 'project', label: 'Project (.mcp.json, shared)', project: true }
    ],
    placements: ['helper', 'inline']
  },
  { id: 'cursor', label: 'Cursor', scopes: [{ id: 'global', label: 'Global' }, { id: 'project', label: 'Project (.cursor/mcp.json)', project: true }], placements: ['inline'] },
  { id: 'vscode', label: 'VS Code', scopes: [{ id: 'user', label: 'User profile' }, { id: 'workspace', label: 'Workspace (.vscode/mcp.json)', project: true }], placements: ['input', 'inline'] },
  { id: 'vscode-insiders', label: 'VS Code Insiders', scopes: [{ id: 'user', label: 'User profile' }], placements: ['input', 'inline'] }
]

const PLACEMENT_LABEL: Record<Placement, string> = {
  helper: 'Keychain helper — nothing secret in the file',
  input: 'Ask once — VS Code keeps it encrypted',
  inline: 'In the file (plaintext copy)'
}

type Preview = Awaited<ReturnType<(typeof api)['bindings.preview']>>

/** "Add to…": pick client and scope, read the diff, confirm; the result names the undo. */
export function InjectDialog(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const { attempt, notify } = useApp()
  const [clientId, setClientId] = useState<ClientId>('claude-code')
  const client = CLIENTS.find((c) => c.id === clientId)!
  const [scope, setScope] = useState(client.scopes[0]!.id)
  const [placement, setPlacement] = useState<Placement>(client.placements[0]!)
  const [projectPath, setProjectPath] = useState('')
  const [serverName, setServerName] = useState('')
  const [preview, setPreview] = useState<Preview>()
  const [busy, setBusy] = useState(false)
  const needsProject = client.scopes.find((s) => s.id === scope)?.project

  const pickClient = (id: ClientId) => {
    const c = CLIENTS.find((x) => x.id === id)!
    setClientId(id)
    setScope(c.scopes[0]!.id)
    setPlacement(c.placements[0]!)
    setPreview(undefined)
  }

  const doPreview = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const p = await attempt(() =>
      api['bindings.preview']({ keyId: props.keyMeta.id, client: clientId, scope, placement, projectPath: needsProject ? projectPath.trim() : undefined, serverName: serverName.trim() || undefined })
    )
    setBusy(false)
    if (p) setPreview(p)
  }

  const apply = async () => {
    if (!preview) return
    setBusy(true)
    const r = await attempt(() => api['bindings.apply']({ planId: preview.planId }))
    setBusy(false)
    if (!r) return
    notify('success', `Added "${r.binding.serverName}" to ${client.label}. Undo it from the Tools screen if you change your mind.`)
    props.onClose()
  }

  return (
    <Dialog title={`Add "${props.keyMeta.name}" to a tool`} onClose={props.onClose} wide>
      {!preview ? (
        <form onSubmit={doPreview}>
          <div className="dialog-body form">
            <fieldset>
              <legend>Client</legend>
              {CLIENTS.map((c) => (
                <label key={c.id} className="radio">
                  <input type="radio" name="client" checked={clientId === c.id} onChange={() => pickClient(c.id)} /> {c.label}
                </label>
              ))}
            </fieldset>
            <label>
              Scope
              <select value={scope} onChange={(e) => setScope(e.target.value)}>
                {client.scopes.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            {needsProject && (
              <label>
                Project folder
                <input value={projectPath} placeholder="/home/you/src/project" onChange={(e) => setProjectPath(e.target.value)} required />
              </label>
            )}
            <fieldset>
              <legend>How the key is placed</legend>
              {client.placements.map((p) => (
                <label key={p} className="radio">
                  <input type="radio" name="placement" checked={placement === p} onChange={() => setPlacement(p)} /> {PLACEMENT_LABEL[p]}
                </label>
              ))}
            </fieldset>
            <label>
              Server name (optional)
              <input value={serverName} placeholder="derived from provider and key" onChange={(e) => setServerName(e.target.value)} />
            </label>
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
              Keywarden will change <span className="mono">{preview.file}</span>, adding <strong>{preview.serverName}</strong>. Nothing else in the file changes.
            </p>
            {preview.notes.map((n) => (
              <p key={n} className={preview.placement === 'inline' ? 'hint warn' : 'hint'}>
                {n}
              </p>
            ))}
            <pre className="diff" aria-label="Change preview" data-testid="inject-diff">
              {preview.diff.split('\n').slice(2).map((line, i) => (
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
              Write to {client.label}
            </button>
          </footer>
        </>
      )}
    </Dialog>
  )
}
