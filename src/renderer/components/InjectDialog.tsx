import { useEffect, useState } from 'react'
import type { ClientId, KeyMeta, Placement } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { Dialog } from './Dialog'

const CLIENTS: Array<{
  id: ClientId
  label: string
  scopes: Array<{ id: string; label: string; project?: boolean }>
  placements: Placement[]
}> = [
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
  {
    id: 'cursor',
    label: 'Cursor',
    scopes: [
      { id: 'global', label: 'Global' },
      { id: 'project', label: 'Project (.cursor/mcp.json)', project: true }
    ],
    placements: ['inline']
  },
  {
    id: 'vscode',
    label: 'VS Code',
    scopes: [
      { id: 'user', label: 'User profile' },
      { id: 'workspace', label: 'Workspace (.vscode/mcp.json)', project: true }
    ],
    placements: ['input', 'inline']
  },
  { id: 'vscode-insiders', label: 'VS Code Insiders', scopes: [{ id: 'user', label: 'User profile' }], placements: ['input', 'inline'] }
]

const PLACEMENT_LABEL: Record<Placement, string> = {
  helper: 'Keychain helper — nothing secret in the file',
  input: 'Ask once — VS Code keeps it encrypted',
  inline: 'In the file (plaintext copy)'
}

type Preview = Awaited<ReturnType<(typeof api)['bindings.preview']>>
type Clients = Awaited<ReturnType<(typeof api)['tools.clients']>>

/** The scopes of a client, with the VS Code profiles found on this machine. */
function scopesOf(client: (typeof CLIENTS)[number], found?: Clients) {
  const profiles = (found?.profiles ?? [])
    .filter((p) => p.client === client.id)
    .map((p) => ({ id: `profile:${p.id}`, label: `Profile ${p.id}`, project: false }))
  return [...client.scopes, ...profiles]
}

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
  const [found, setFound] = useState<Clients>()
  /** A name already taken at the location: the person confirms the offered one or types another. */
  const [clash, setClash] = useState<{ taken: string; suggested: string }>()
  const scopes = scopesOf(client, found)
  const needsProject = scopes.find((s) => s.id === scope)?.project
  useEffect(() => {
    void attempt(() => api['tools.clients']({})).then((c) => c && setFound(c))
  }, [attempt])

  const pickClient = (id: ClientId) => {
    const c = CLIENTS.find((x) => x.id === id)!
    setClientId(id)
    setScope(c.scopes[0]!.id)
    setPlacement(c.placements[0]!)
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
              {CLIENTS.map((c) => {
                const presence = found?.clients.find((x) => x.client === c.id)
                return (
                  <label key={c.id} className="radio">
                    <input type="radio" name="client" checked={clientId === c.id} onChange={() => pickClient(c.id)} /> {c.label}
                    {presence && !presence.installed && <em className="tag">not found on this computer</em>}
                  </label>
                )
              })}
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
              Write to {client.label}
            </button>
          </footer>
        </>
      )}
    </Dialog>
  )
}
