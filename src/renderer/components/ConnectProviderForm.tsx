import { useState } from 'react'
import type { ProviderKindInfo } from '../../shared/contract'
import type { ConnectProviderInput, CustomProviderSpec } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { ConfirmDialog } from './Dialog'

/** Every address a description would send keys to, for the person to confirm. */
function destinations(spec: CustomProviderSpec): Array<{ what: string; url: string }> {
  const out: Array<{ what: string; url: string }> = []
  if (spec.checkUrl) out.push({ what: 'to check a key', url: spec.checkUrl })
  if (spec.mcpUrl) out.push({ what: 'MCP server', url: spec.mcpUrl })
  if (spec.baseUrl) out.push({ what: spec.keyApi ? 'key API (sign-in and key management)' : 'API base URL', url: spec.baseUrl })
  return out
}

const FIELD_LABEL: Record<string, string> = {
  baseUrl: 'API base URL',
  mcpUrl: 'MCP server URL',
  orgId: 'Organization ID',
  email: 'Email',
  password: 'Password',
  apiKey: 'Or an existing key as bearer',
  dashboardUrl: 'Dashboard URL (API keys page)'
}

/** The fields one service needs, a test that makes a real request, and Connect. */
export function ConnectForm(props: { info: ProviderKindInfo; onDone: () => void }) {
  const { attempt, notify } = useApp()
  const [values, setValues] = useState<Record<string, string>>({
    baseUrl: props.info.defaultBaseUrl ?? '',
    mcpUrl: props.info.defaultMcpUrl ?? ''
  })
  const [result, setResult] = useState<{ ok: boolean; message: string }>()
  const [busy, setBusy] = useState(false)
  const input = (): ConnectProviderInput => {
    const v = (k: string) => values[k]?.trim() || undefined
    return { kind: props.info.kind as ConnectProviderInput['kind'], name: v('name'), baseUrl: v('baseUrl'), mcpUrl: v('mcpUrl'), orgId: v('orgId'), email: v('email'), password: v('password'), apiKey: v('apiKey'), dashboardUrl: v('dashboardUrl') }
  }
  const test = async () => {
    setBusy(true)
    setResult(await attempt(() => api['providers.test'](input())))
    setBusy(false)
  }
  const connect = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const p = await attempt(() => api['providers.connect'](input()))
    setBusy(false)
    if (p) {
      notify('success', `Connected ${p.name}.`)
      props.onDone()
    }
  }
  return (
    <form className="card form" onSubmit={connect} aria-label={`Connect ${props.info.label}`}>
      <p className="muted">
        {props.info.management === 'api'
          ? `${props.info.label} manages keys by API: Keywarden can list, create and revoke them.`
          : `${props.info.label} keys are created and revoked in its dashboard. Keywarden checks, tracks and rotates them with you.`}
        {props.info.keyPrefix && ` Its keys start with ${props.info.keyPrefix}.`}
        {props.info.maxActiveKeys && ` At most ${props.info.maxActiveKeys} active keys per account.`}
      </p>
      <label>
        Name
        <input value={values['name'] ?? ''} placeholder={props.info.label} onChange={(e) => setValues({ ...values, name: e.target.value })} />
      </label>
      {props.info.fields.map((f) => (
        <label key={f}>
          {FIELD_LABEL[f] ?? f}
          <input
            type={f === 'password' || f === 'apiKey' ? 'password' : 'text'}
            autoComplete="off"
            required={f === 'orgId'}
            value={values[f] ?? ''}
            onChange={(e) => setValues({ ...values, [f]: e.target.value })}
          />
        </label>
      ))}
      {props.info.dashboardUrl && (
        <p className="small">
          Keys are managed at{' '}
          <a href={props.info.dashboardUrl} target="_blank" rel="noreferrer">
            {props.info.dashboardUrl}
          </a>
          .
        </p>
      )}
      {result && (
        <p className={result.ok ? 'hint' : 'field-error'} role="status">
          {result.message}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => void test()} disabled={busy} aria-busy={busy}>
          Test connection
        </button>
        <button className="primary" type="submit" disabled={busy}>
          Connect
        </button>
      </div>
    </form>
  )
}

/** Describe a custom service by hand, or paste an exported description. */
export function CustomForm(props: { onDone: () => void }) {
  const { attempt, notify } = useApp()
  const [json, setJson] = useState('')
  const [pending, setPending] = useState<CustomProviderSpec>()
  const [form, setForm] = useState({ name: '', baseUrl: '', headerName: 'Authorization', scheme: 'Bearer', keyPrefix: '', checkUrl: '', mcpUrl: '', dashboardUrl: '' })
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value })
  const connect = async (e: React.FormEvent) => {
    e.preventDefault()
    const opt = (v: string) => v.trim() || undefined
    if (json.trim()) {
      // A shared description decides where keys go: show that before connecting it.
      const spec = await attempt(() => api['providers.parseCustom']({ json }))
      if (spec) setPending(spec)
      return
    }
    const p = await attempt(() =>
          api['providers.connect']({
            kind: 'custom',
            name: opt(form.name),
            custom: {
              name: form.name.trim(),
              baseUrl: opt(form.baseUrl),
              header: { name: form.headerName.trim(), scheme: form.scheme as 'Bearer' | 'none' },
              keyPrefix: opt(form.keyPrefix),
              checkUrl: opt(form.checkUrl),
              mcpUrl: opt(form.mcpUrl),
              dashboardUrl: opt(form.dashboardUrl)
            }
          })
        )
    if (p) {
      notify('success', `Connected ${p.name}.`)
      props.onDone()
    }
  }
  const importConfirmed = async () => {
    setPending(undefined)
    const p = await attempt(() => api['providers.importCustom']({ json }))
    if (p) {
      notify('success', `Connected ${p.name}.`)
      props.onDone()
    }
  }
  return (
    <>
    <form className="card form" onSubmit={connect} aria-label="Connect a custom provider">
      <p className="muted">Describe a service that takes a key in a header. No secrets go into this description; it can be shared as JSON.</p>
      <label>
        Name
        <input value={form.name} onChange={set('name')} />
      </label>
      <label>
        Header
        <input value={form.headerName} onChange={set('headerName')} />
      </label>
      <label>
        Scheme
        <select value={form.scheme} onChange={set('scheme')}>
          <option value="Bearer">Bearer &lt;key&gt;</option>
          <option value="none">the key alone</option>
        </select>
      </label>
      {(['baseUrl', 'keyPrefix', 'checkUrl', 'mcpUrl', 'dashboardUrl'] as const).map((k) => (
        <label key={k}>
          {{ baseUrl: 'Base URL', keyPrefix: 'Key prefix', checkUrl: 'Check URL (a harmless GET)', mcpUrl: 'MCP server URL', dashboardUrl: 'Dashboard URL' }[k]}
          <input value={form[k]} onChange={set(k)} />
        </label>
      ))}
      <label>
        …or paste an exported description (JSON)
        <textarea rows={4} value={json} onChange={(e) => setJson(e.target.value)} />
      </label>
      <div className="actions">
        <button className="primary" type="submit">
          Connect
        </button>
      </div>
    </form>
      {pending && (
        <ConfirmDialog
          title={`Connect "${pending.name}"?`}
          body={
            <>
              <p>Keys you file under {pending.name} will be sent in the {pending.header.name} header to:</p>
              <ul data-testid="custom-destinations">
                {destinations(pending).map((d) => (
                  <li key={d.what}>
                    <span className="mono">{d.url}</span> — {d.what}
                  </li>
                ))}
                {destinations(pending).length === 0 && <li>nowhere yet: the description names no address.</li>}
              </ul>
              {pending.keyPrefix && <p>Pasted keys starting with {pending.keyPrefix} will be filed under it.</p>}
              <p>Connect it only if you trust whoever shared this description.</p>
            </>
          }
          confirm="Connect"
          onClose={() => setPending(undefined)}
          onConfirm={() => void importConfirmed()}
        />
      )}
    </>
  )
}
