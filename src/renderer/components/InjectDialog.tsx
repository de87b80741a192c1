import { useEffect, useState } from 'react'
import type { ClientId, KeyMeta, Placement } from '../../shared/schemas'
import { api, messageOf } from '../api'
import { useApp, type ClientListing } from '../stores/app-store'
import { Dialog } from './Dialog'
import { InjectPreviews, type PlannedWrite } from './InjectPreviews'
import { FieldError, useAttempt, useFail, useInvalidField } from './message-scope'
import { describeFailure } from '../words'

export interface Target {
  on: boolean
  scope: string
  placement: Placement
  projectPath: string
  serverName: string
  /** A name taken at the location: offered instead, the person confirms it by previewing again. */
  clash?: { taken: string; suggested: string }
}

const fullPath = (p: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p)
const samePath = (a?: string, b?: string) => (a ?? '').replace(/[\\/]+$/, '') === (b ?? '').replace(/[\\/]+$/, '')

function initialTarget(c: ClientListing | undefined, on: boolean): Target {
  return { on, scope: c?.scopes[0]?.id ?? 'user', placement: c?.placements[0]?.id ?? 'inline', projectPath: '', serverName: '' }
}

/** "Add to…": one or several clients at once, a preview of each file, then one write for all. */
export function InjectDialog(props: { keyMeta: KeyMeta; onClose: () => void }) {
  return (
    <Dialog title={`Add "${props.keyMeta.name}" to a client`} onClose={props.onClose} wide>
      <InjectBody {...props} />
    </Dialog>
  )
}

function InjectBody(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const { clients, bindings, loadClients } = useApp()
  const attempt = useAttempt()
  const fail = useFail()
  // Clients and VS Code profiles may have appeared since the window opened.
  useEffect(() => {
    void useApp.getState().attempt(loadClients)
  }, [loadClients])
  const [targets, setTargets] = useState<Partial<Record<ClientId, Target>>>({})
  const [previews, setPreviews] = useState<PlannedWrite[]>()
  const [busy, setBusy] = useState(false)
  const invalid = useInvalidField()
  const targetOf = (c: ClientListing, i: number) => targets[c.client] ?? initialTarget(c, i === 0)
  const change = (c: ClientListing, i: number, patch: Partial<Target>) =>
    setTargets({ ...targets, [c.client]: { ...targetOf(c, i), clash: undefined, ...patch } })
  /** A binding of this key already at the chosen place: known before any preview. */
  const existing = (c: ClientListing, t: Target) =>
    bindings.find(
      (b) =>
        b.keyId === props.keyMeta.id &&
        b.client === c.client &&
        b.scope === t.scope &&
        (!c.scopes.find((s) => s.id === t.scope)?.project || samePath(b.projectPath, t.projectPath.trim())) &&
        (!t.serverName.trim() || t.serverName.trim() === b.serverName)
    )
  const chosen = clients.map((c, i) => ({ c, i, t: targetOf(c, i) })).filter((x) => x.t.on && !existing(x.c, x.t))

  const doPreview = async (e: React.FormEvent) => {
    e.preventDefault()
    if (chosen.length === 0) return fail('Choose at least one client that does not have this key yet.')
    for (const { c, t } of chosen) {
      const project = c.scopes.find((s) => s.id === t.scope)?.project
      if (project && !fullPath(t.projectPath.trim()))
        return fail(
          t.projectPath.trim()
            ? `Use the project folder's full path (starting with / or a drive letter), or choose it with "Choose folder…".`
            : 'Choose the project folder.',
          `projectPath:${c.client}`
        )
    }
    setBusy(true)
    const planned: PlannedWrite[] = []
    for (const { c, t } of chosen) {
      const input = {
        keyId: props.keyMeta.id,
        client: c.client,
        scope: t.scope,
        placement: t.placement,
        projectPath: c.scopes.find((s) => s.id === t.scope)?.project ? t.projectPath.trim() : undefined,
        serverName: t.serverName.trim() || undefined
      }
      let result
      try {
        const name = await api['bindings.checkName'](input)
        result =
          name.taken && name.suggested
            ? { clash: { taken: name.serverName, suggested: name.suggested } }
            : { preview: await api['bindings.preview']({ ...input, serverName: name.serverName }) }
      } catch (error) {
        // Said under the client's own field when it is about one, else at the top naming the client.
        const { message, field } = describeFailure(messageOf(error))
        const own = field === 'serverName' || field === 'projectPath' ? `${field}:${c.client}` : undefined
        fail(own ? message : `${c.label}: ${message}`, own)
        return setBusy(false)
      }
      if ('clash' in result && result.clash) {
        // Never renamed behind the person's back: offer the free name, they confirm or change it.
        setTargets({ ...targets, [c.client]: { ...t, serverName: result.clash.suggested, clash: result.clash } })
        return setBusy(false)
      }
      if ('preview' in result && result.preview) planned.push({ client: c, preview: result.preview })
    }
    setBusy(false)
    setPreviews(planned)
  }

  if (previews)
    return <InjectPreviews keyMeta={props.keyMeta} previews={previews} onBack={() => setPreviews(undefined)} onDone={props.onClose} />

  return (
    <form onSubmit={doPreview}>
      <div className="dialog-body form">
        <fieldset>
          <legend>Clients</legend>
          <ul className="targets">
            {clients.map((c, i) => {
              const t = targetOf(c, i)
              const already = existing(c, t)
              const scope = c.scopes.find((s) => s.id === t.scope)
              return (
                <li key={c.client} className="target">
                  <label className="check">
                    <input type="checkbox" aria-label={c.label} checked={t.on} onChange={(e) => change(c, i, { on: e.target.checked })} />{' '}
                    {c.label}
                    {!c.installed && <em className="tag">not found on this computer</em>}
                    {already && t.on && <em className="tag warn">already added as {already.serverName}</em>}
                  </label>
                  {t.on && (
                    <div className="target-opts">
                      <label>
                        Scope
                        <select aria-label={`${c.label} scope`} value={t.scope} onChange={(e) => change(c, i, { scope: e.target.value })}>
                          {c.scopes.map((s) => (
                            <option key={s.id} value={s.id}>
                              {s.label}
                            </option>
                          ))}
                        </select>
                      </label>
                      <label>
                        How the key is placed
                        <select
                          aria-label={`${c.label} placement`}
                          value={t.placement}
                          onChange={(e) => change(c, i, { placement: e.target.value as Placement })}
                        >
                          {c.placements.map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.label}
                            </option>
                          ))}
                        </select>
                      </label>
                      {scope?.project && (
                        <div className="field wide">
                          <label htmlFor={`project-${c.client}`}>Project folder</label>
                          <div className="field-row">
                            <input
                              id={`project-${c.client}`}
                              value={t.projectPath}
                              aria-invalid={invalid === `projectPath:${c.client}`}
                              placeholder="/home/you/src/project"
                              aria-describedby={`project-${c.client}-error`}
                              onChange={(e) => change(c, i, { projectPath: e.target.value })}
                            />
                            <button
                              type="button"
                              onClick={() =>
                                void attempt(async () => {
                                  const { path } = await api['app.pickFolder']({})
                                  if (path) change(c, i, { projectPath: path })
                                })
                              }
                            >
                              Choose folder…
                            </button>
                          </div>
                          <FieldError field={`projectPath:${c.client}`} id={`project-${c.client}-error`} />
                        </div>
                      )}
                      <label className="wide">
                        Server name (optional)
                        <input
                          aria-label={`${c.label} server name`}
                          value={t.serverName}
                          placeholder="derived from provider and key"
                          aria-invalid={invalid === `serverName:${c.client}`}
                          aria-describedby={`server-${c.client}-error`}
                          onChange={(e) => change(c, i, { serverName: e.target.value })}
                        />
                        <FieldError field={`serverName:${c.client}`} id={`server-${c.client}-error`} />
                      </label>
                      {t.clash && (
                        <p className="hint warn wide" role="alert">
                          {c.label}&apos;s file already has a server named <strong>{t.clash.taken}</strong> that Keywarden did not add. Use{' '}
                          <strong>{t.clash.suggested}</strong> (filled in above), or type another name, then preview again.
                        </p>
                      )}
                    </div>
                  )}
                </li>
              )
            })}
          </ul>
        </fieldset>
      </div>
      <footer className="dialog-foot">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button className="primary" type="submit" data-autofocus disabled={busy || chosen.length === 0} aria-busy={busy}>
          {chosen.length > 1 ? `Preview ${chosen.length} changes` : 'Preview change'}
        </button>
      </footer>
    </form>
  )
}
