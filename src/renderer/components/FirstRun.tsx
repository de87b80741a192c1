import { useState } from 'react'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { mcpUrlOf } from './key-actions'

const DISMISSED = 'keywarden.firstRun.dismissed'
const SANDBOX_CHOSEN = 'keywarden.firstRun.sandbox'

const remembered = (name: string) => {
  try {
    return localStorage.getItem(name) === '1'
  } catch {
    return false
  }
}
const remember = (name: string) => {
  try {
    localStorage.setItem(name, '1')
  } catch {
    // Without storage the checklist simply shows again next time.
  }
}

/**
 * Three steps from nothing to a client using a key — connect a service, get a key, add it to a
 * client — each ticked off by what already exists, ending with what to do in that client.
 */
export function FirstRun() {
  const { providers, keys, bindings, clients, catalog, loaded } = useApp()
  const { setPage, open, select } = useUi()
  const [dismissed, setDismissed] = useState(() => remembered(DISMISSED))
  const [sandbox, setSandbox] = useState(() => remembered(SANDBOX_CHOSEN))
  if (!loaded || dismissed) return null
  const real = providers.filter((p) => p.kind !== 'sandbox')
  const sandboxIds = new Set(providers.filter((p) => p.kind === 'sandbox').map((p) => p.id))
  // Keys made in the sandbox count as having chosen it.
  const onSandbox = sandbox || keys.some((k) => sandboxIds.has(k.providerId))
  const connected = real.length > 0 || onSandbox
  const usable = keys.filter((k) => k.inVault && k.status === 'active')
  const haveKey = usable.length > 0
  const bound = bindings.at(-1)
  const newest = [...usable]
    .sort((a, b) => b.addedAt.localeCompare(a.addedAt))
    .find((k) =>
      mcpUrlOf(
        providers.find((p) => p.id === k.providerId),
        catalog
      )
    )
  const client = bound && clients.find((c) => c.client === bound.client)

  const dismiss = () => {
    remember(DISMISSED)
    setDismissed(true)
  }
  if (connected && haveKey && bound) {
    // All three done: one line saying what to do in the client, then out of the way.
    return (
      <section className="first-run done-bar" aria-label="Getting started">
        <span>
          <strong>You are set.</strong> “{keys.find((k) => k.id === bound.keyId)?.name ?? 'Your key'}” is in {client?.label ?? 'a client'}.{' '}
          {client?.afterWrite}
        </span>
        <button onClick={dismiss}>Hide</button>
      </section>
    )
  }
  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <div className="page-head" style={{ marginBottom: 0 }}>
        <h2 id="first-run-title" style={{ margin: 0 }}>
          Get started in three steps
        </h2>
        <button className="icon" aria-label="Hide the getting-started steps" onClick={dismiss}>
          ×
        </button>
      </div>
      <ol>
        <li className={connected ? 'done' : undefined}>
          <strong>1. Connect a service</strong>
          <span className="state">
            {real.length > 0 ? `Connected: ${real.map((p) => p.name).join(', ')}` : onSandbox ? 'Using the Local sandbox' : 'Not yet'}
          </span>
          {!connected && (
            <div className="actions">
              <button onClick={() => setPage('providers')}>Connect a service</button>
              <button
                onClick={() => {
                  remember(SANDBOX_CHOSEN)
                  setSandbox(true)
                }}
              >
                Try the Local sandbox
              </button>
            </div>
          )}
        </li>
        <li className={haveKey ? 'done' : undefined}>
          <strong>2. Get a key</strong>
          <span className="state">{haveKey ? `${usable.length} key${usable.length === 1 ? '' : 's'} in your keychain` : 'No key yet'}</span>
          {!haveKey && (
            <div className="actions">
              <button onClick={() => open({ kind: 'create' })}>Create a key</button>
              <button onClick={() => open({ kind: 'import' })}>Paste a key you have</button>
            </div>
          )}
        </li>
        <li className={bound ? 'done' : undefined}>
          <strong>3. Add it to a client</strong>
          <span className="state">
            {bound && client
              ? `Added to ${client.label}. ${client.afterWrite}`
              : 'Claude Code, Cursor or VS Code uses the key without it being pasted anywhere.'}
          </span>
          {!bound && newest && (
            <div className="actions">
              <button
                onClick={() => {
                  select(newest.id)
                  open({ kind: 'inject', keyId: newest.id })
                }}
              >
                Add “{newest.name}” to…
              </button>
            </div>
          )}
        </li>
      </ol>
    </section>
  )
}
