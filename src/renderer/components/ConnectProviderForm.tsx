import { useState } from 'react'
import type { ProviderKindInfo } from '../../shared/contract'
import type { ConnectProviderInput, CustomProviderSpec, Provider } from '../../shared/schemas'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { ConfirmDialog } from './Dialog'
import { FieldError, MessageScope, ScopeMessages, useAttempt, useInvalidField } from './message-scope'

const FIELD_LABEL: Record<string, string> = {
  baseUrl: 'API base URL',
  mcpUrl: 'MCP server URL',
  orgId: 'Organization ID',
  email: 'Email',
  password: 'Password',
  apiKey: 'Or an existing key as bearer',
  dashboardUrl: 'Dashboard URL (API keys page)'
}
const FIELD_HELP: Record<string, string> = {
  mcpUrl:
    'The address of the service’s MCP server. "Add to…" writes it into your clients; without it a key can be kept and rotated here but not added to a client.'
}
const SECRET_FIELDS = new Set(['password', 'apiKey', 'testKey'])

/** Every address a description would send keys to, for the person to confirm. */
function destinations(spec: CustomProviderSpec): Array<{ what: string; url: string }> {
  const out: Array<{ what: string; url: string }> = []
  if (spec.checkUrl) out.push({ what: 'to check a key', url: spec.checkUrl })
  if (spec.mcpUrl) out.push({ what: 'MCP server', url: spec.mcpUrl })
  if (spec.baseUrl) out.push({ what: spec.keyApi ? 'key API (sign-in and key management)' : 'API base URL', url: spec.baseUrl })
  return out
}

function TestResult(props: { result?: { ok: boolean; message: string } }) {
  if (!props.result) return null
  return (
    <p className={props.result.ok ? 'hint' : 'field-error'} role="status">
      {props.result.message}
    </p>
  )
}

/**
 * The fields one service needs, a test that makes a real request, and Connect. With `existing`, the
 * same form edits a connected provider: blank secret fields keep the saved sign-in.
 */
export function ConnectForm(props: { info: ProviderKindInfo; existing?: Provider; onDone: () => void }) {
  return (
    <MessageScope>
      <ConnectFormBody {...props} />
    </MessageScope>
  )
}

function ConnectFormBody(props: { info: ProviderKindInfo; existing?: Provider; onDone: () => void }) {
  const { notify, setLastConnected } = useApp()
  const attempt = useAttempt()
  const editing = props.existing
  const dashboard = props.info.management === 'dashboard'
  const [values, setValues] = useState<Record<string, string>>(
    editing
      ? {
          name: editing.name,
          baseUrl: editing.baseUrl ?? '',
          mcpUrl: editing.mcpUrl ?? '',
          orgId: editing.orgId ?? '',
          email: editing.email ?? '',
          dashboardUrl: editing.dashboardUrl ?? ''
        }
      : { baseUrl: props.info.defaultBaseUrl ?? '', mcpUrl: props.info.defaultMcpUrl ?? '' }
  )
  const [result, setResult] = useState<{ ok: boolean; message: string }>()
  const [busy, setBusy] = useState(false)
  const invalid = useInvalidField()
  const v = (k: string) => values[k]?.trim() || undefined
  const input = (): ConnectProviderInput => ({
    kind: props.info.kind as ConnectProviderInput['kind'],
    name: v('name'),
    baseUrl: v('baseUrl'),
    mcpUrl: v('mcpUrl'),
    orgId: v('orgId'),
    email: v('email'),
    password: v('password'),
    // Dashboard-managed services: a key typed here is only tested, never saved.
    apiKey: dashboard ? v('testKey') : v('apiKey'),
    dashboardUrl: v('dashboardUrl')
  })
  const test = async () => {
    setBusy(true)
    setResult(await attempt(() => api['providers.test'](input())))
    setBusy(false)
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const p = editing
      ? await attempt(() =>
          api['providers.update']({
            providerId: editing.id,
            name: v('name'),
            baseUrl: values['baseUrl']?.trim() ?? undefined,
            mcpUrl: values['mcpUrl']?.trim() ?? undefined,
            orgId: v('orgId'),
            email: v('email'),
            password: v('password'),
            apiKey: v('apiKey'),
            dashboardUrl: values['dashboardUrl']?.trim() ?? undefined
          })
        )
      : await attempt(() => api['providers.connect'](input()))
    if (!p) return setBusy(false)
    if (editing) {
      // New credentials are tried at once; a sync that works clears the old failure.
      if (values['password'] || values['apiKey']) await useApp.getState().sync(p.id)
      setBusy(false)
      notify('success', `Saved ${p.name}.`, { source: 'Providers' })
      return props.onDone()
    }
    setLastConnected(p.id)
    // Its keys show at once: sync now rather than at the next timer.
    await useApp.getState().sync(p.id)
    setBusy(false)
    notify(
      'success',
      `Connected ${p.name}.${p.mcpUrl || props.info.defaultMcpUrl ? '' : ' Add its MCP server URL (Edit) before adding its keys to a client.'}`,
      {
        source: 'Providers'
      }
    )
    props.onDone()
  }
  const fields = [...props.info.fields, ...(dashboard ? ['testKey'] : [])]
  const label = (f: string) =>
    f === 'testKey'
      ? 'Key to test with (optional, not saved)'
      : editing && SECRET_FIELDS.has(f)
        ? `${FIELD_LABEL[f]} (leave blank to keep the saved one)`
        : (FIELD_LABEL[f] ?? f)
  return (
    <form className="card form" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : `Connect ${props.info.label}`}>
      {!editing && (
        <p className="muted">
          {props.info.management === 'api'
            ? `${props.info.label} manages keys by API: Keywarden can list, create and revoke them.`
            : `${props.info.label} keys are created and revoked in its dashboard. Keywarden checks, tracks and rotates them with you.`}
          {props.info.keyPrefix && ` Its keys start with ${props.info.keyPrefix}.`}
          {props.info.maxActiveKeys && ` At most ${props.info.maxActiveKeys} active keys per account.`}
        </p>
      )}
      <label>
        Name
        <input
          value={values['name'] ?? ''}
          placeholder={props.info.label}
          aria-invalid={invalid === 'name'}
          onChange={(e) => setValues({ ...values, name: e.target.value })}
        />
        <FieldError field="name" />
      </label>
      {fields.map((f) => (
        <label key={f}>
          {label(f)}
          <input
            type={SECRET_FIELDS.has(f) ? 'password' : 'text'}
            autoComplete="off"
            required={f === 'orgId' || (f === 'mcpUrl' && props.info.kind === 'lybic')}
            value={values[f] ?? ''}
            aria-describedby={FIELD_HELP[f] ? `help-${props.info.kind}-${f}` : undefined}
            aria-invalid={invalid === f}
            onChange={(e) => setValues({ ...values, [f]: e.target.value })}
          />
          <FieldError field={f} />
          {FIELD_HELP[f] && (
            <span className="field-help" id={`help-${props.info.kind}-${f}`}>
              {FIELD_HELP[f]}
            </span>
          )}
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
      <TestResult result={result} />
      <ScopeMessages fields={['name', ...fields]} />
      <div className="actions">
        <button type="button" onClick={() => void test()} disabled={busy} aria-busy={busy}>
          Test connection
        </button>
        {editing && (
          <button type="button" onClick={props.onDone}>
            Cancel
          </button>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {editing ? 'Save' : 'Connect'}
        </button>
      </div>
    </form>
  )
}

const KEY_API_PATHS = ['list', 'create', 'revoke', 'toggle', 'validate', 'login', 'refresh'] as const

/** Describe a custom service by hand, or paste an exported description. */
/** The custom form's fields an error can be about, said next to them. */
const CUSTOM_FIELDS = [
  'name',
  'custom.name',
  'custom.header.name',
  ...['baseUrl', 'keyPrefix', 'checkUrl', 'mcpUrl', 'dashboardUrl'].map((k) => `custom.${k}`)
]

export function CustomForm(props: { onDone: () => void }) {
  return (
    <MessageScope>
      <CustomFormBody {...props} />
    </MessageScope>
  )
}

function CustomFormBody(props: { onDone: () => void }) {
  const { notify, setLastConnected } = useApp()
  const attempt = useAttempt()
  const [json, setJson] = useState('')
  const [pending, setPending] = useState<CustomProviderSpec>()
  const [result, setResult] = useState<{ ok: boolean; message: string }>()
  const [form, setForm] = useState({
    name: '',
    baseUrl: '',
    headerName: 'Authorization',
    scheme: 'Bearer',
    keyPrefix: '',
    checkUrl: '',
    mcpUrl: '',
    dashboardUrl: ''
  })
  const [keyApi, setKeyApi] = useState(false)
  const invalid = useInvalidField()
  const [paths, setPaths] = useState<Record<string, string>>({ basePath: '/' })
  const [creds, setCreds] = useState({ email: '', password: '', apiKey: '' })
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setForm({ ...form, [k]: e.target.value })
  const opt = (v: string) => v.trim() || undefined
  const credentials = () => ({ email: opt(creds.email), password: opt(creds.password), apiKey: opt(creds.apiKey) })
  const described = (): ConnectProviderInput => ({
    kind: 'custom',
    name: opt(form.name),
    custom: {
      name: form.name.trim(),
      baseUrl: opt(form.baseUrl),
      header: { name: form.headerName.trim(), scheme: form.scheme as 'Bearer' | 'none' },
      keyPrefix: opt(form.keyPrefix),
      checkUrl: opt(form.checkUrl),
      mcpUrl: opt(form.mcpUrl),
      dashboardUrl: opt(form.dashboardUrl),
      keyApi: keyApi
        ? {
            basePath: paths['basePath']?.trim() || '/',
            ...Object.fromEntries(KEY_API_PATHS.flatMap((k) => (opt(paths[k] ?? '') ? [[k, paths[k]!.trim()]] : [])))
          }
        : undefined
    },
    ...credentials()
  })
  const done = async (p: Provider | undefined) => {
    if (!p) return
    setLastConnected(p.id)
    await useApp.getState().sync(p.id)
    notify('success', `Connected ${p.name}.`, { source: 'Providers' })
    props.onDone()
  }
  const connect = async (e: React.FormEvent) => {
    e.preventDefault()
    if (json.trim()) {
      // A shared description decides where keys go: show that before connecting it.
      const spec = await attempt(() => api['providers.parseCustom']({ json }))
      if (spec) setPending(spec)
      return
    }
    await done(await attempt(() => api['providers.connect'](described())))
  }
  const test = async () => {
    if (json.trim()) {
      const spec = await attempt(() => api['providers.parseCustom']({ json }))
      if (spec) setResult(await attempt(() => api['providers.test']({ kind: 'custom', name: spec.name, custom: spec, ...credentials() })))
      return
    }
    setResult(await attempt(() => api['providers.test'](described())))
  }
  // Runs inside the confirmation, so a refusal is said there; it closes once connected.
  const importConfirmed = async () => {
    const p = await api['providers.importCustom']({ json, ...credentials() })
    setPending(undefined)
    await done(p)
  }
  return (
    <>
      <form className="card form" onSubmit={connect} aria-label="Connect a custom provider">
        <p className="muted">
          Describe a service that takes a key in a header. No secrets go into this description; it can be shared as JSON.
        </p>
        <label>
          Name
          <input value={form.name} onChange={set('name')} aria-invalid={invalid === 'custom.name' || invalid === 'name'} />
          <FieldError field="custom.name" />
          <FieldError field="name" />
        </label>
        <label>
          Header
          <input value={form.headerName} onChange={set('headerName')} aria-invalid={invalid === 'custom.header.name'} />
          <FieldError field="custom.header.name" />
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
            {
              {
                baseUrl: 'Base URL',
                keyPrefix: 'Key prefix (3+ characters)',
                checkUrl: 'Check URL (a harmless GET)',
                mcpUrl: 'MCP server URL',
                dashboardUrl: 'Dashboard URL'
              }[k]
            }
            <input value={form[k]} onChange={set(k)} aria-invalid={invalid === `custom.${k}`} />
            <FieldError field={`custom.${k}`} />
          </label>
        ))}
        <label className="inline">
          <input type="checkbox" checked={keyApi} onChange={(e) => setKeyApi(e.target.checked)} />
          It has a Lyceum-style key API under the base URL (list, create, revoke keys)
        </label>
        {keyApi && (
          <details>
            <summary>Key API paths (blank: Lyceum&apos;s)</summary>
            {(['basePath', ...KEY_API_PATHS] as const).map((k) => (
              <label key={k}>
                {k === 'basePath' ? 'Under' : k}
                <input
                  value={paths[k] ?? ''}
                  placeholder={k === 'basePath' ? '/' : k === 'revoke' || k === 'toggle' ? '/auth/api-keys/{id}…' : ''}
                  onChange={(e) => setPaths({ ...paths, [k]: e.target.value })}
                />
              </label>
            ))}
          </details>
        )}
        <label>
          …or paste an exported description (JSON)
          <textarea rows={4} value={json} onChange={(e) => setJson(e.target.value)} />
        </label>
        <fieldset>
          <legend className="small">Sign-in for a key API (kept in your keychain, never in the description)</legend>
          <label>
            Email
            <input autoComplete="off" value={creds.email} onChange={(e) => setCreds({ ...creds, email: e.target.value })} />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="off"
              value={creds.password}
              onChange={(e) => setCreds({ ...creds, password: e.target.value })}
            />
          </label>
          <label>
            Or an existing key as bearer
            <input
              type="password"
              autoComplete="off"
              value={creds.apiKey}
              onChange={(e) => setCreds({ ...creds, apiKey: e.target.value })}
            />
          </label>
        </fieldset>
        <TestResult result={result} />
        <ScopeMessages fields={CUSTOM_FIELDS} />
        <div className="actions">
          <button type="button" onClick={() => void test()}>
            Test connection
          </button>
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
              <p>
                Keys you file under {pending.name} will be sent in the {pending.header.name} header to:
              </p>
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
          onConfirm={importConfirmed}
        />
      )}
    </>
  )
}
