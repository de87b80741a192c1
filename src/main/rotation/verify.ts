import { KeywardenError } from '../../shared/errors'
import type { Binding, Rotation } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import { outcomeOf } from '../providers/mcp-probe'
import { headerNamed, headerValue, heldKey } from '../mcp-config/server-entry'
import { maskSecret } from '../vault/fingerprint'
import type { RotationCore, RotationDeps } from './core'
import { bindingLabel } from './client-updates'

/** Placements whose key the client gets from the keychain when it connects: no file holds it. */
const READ_AT_CONNECT = new Set(['helper', 'bridge'])

interface Target {
  url: string
  header: { name: string; value: string }
}

/**
 * Verifying the new key with the service itself and through each MCP server the clients will
 * connect to, with the URL and header read back from each file. Only a definite rejection rolls
 * the clients back; a service that cannot be reached leaves everything as it is, to verify again.
 */
export function createVerification(deps: RotationDeps, core: RotationCore, rollback: (r: Rotation, reason: string) => Promise<Rotation>) {
  const { advance, newValue, progress } = core

  async function targetOf(binding: Binding, adapter: ProviderAdapter, value: string): Promise<Target> {
    const expected = { name: adapter.header.name, value: headerValue(adapter.header, value) }
    if (binding.placement !== 'inline' || !deps.writer.read) return { url: binding.url, header: expected }
    const entry = await deps.writer.read(binding)
    if (!entry)
      throw new KeywardenError(
        'not-found',
        `${bindingLabel(binding)} is no longer in ${binding.file}. Resume to update the rest, or roll back.`
      )
    const read = { headers: entry.headers, headerField: 'headers' as const, placement: 'inline' as const, url: entry.url }
    const held = heldKey(read, adapter.header.name)
    const header = headerNamed(read, adapter.header.name)
    if (held !== value) {
      throw new KeywardenError(
        'conflict',
        `${bindingLabel(binding)} holds ${held ? `another key (${maskSecret(held)})` : 'no key'} instead of the new one; someone changed it. Resume to write the new key again, or roll back.`
      )
    }
    return { url: entry.url ?? binding.url, header: header! }
  }

  return async function verify(r: Rotation, adapter: ProviderAdapter): Promise<Rotation> {
    const value = await newValue(r)
    progress(r, `Checking the new key with ${adapter.provider.name}…`)
    // A service error (5xx, 429, timeout) throws here: the rotation keeps its state to retry.
    const service = await adapter.validateKey(value)
    const serviceOutcome = outcomeOf(service)
    if (serviceOutcome === 'rejected') return rollback(r, `Verification failed: ${service.message}`)
    const targets = new Map<string, Target>()
    for (const b of deps.vault.bindings.ofKey(r.newKeyId)) {
      const t = await targetOf(b, adapter, value)
      targets.set(`${t.url}\n${t.header.name.toLowerCase()}\n${t.header.value}`, t)
    }
    const results: Array<{ outcome: ReturnType<typeof outcomeOf>; message: string }> = [
      { outcome: serviceOutcome, message: service.message }
    ]
    // Keys read at connect time: the bridge itself runs, as the client will start it.
    if (deps.probeBridge)
      for (const b of deps.vault.bindings.ofKey(r.newKeyId).filter((x) => READ_AT_CONNECT.has(x.placement))) {
        const result = await deps.probeBridge(b, adapter.provider.name)
        results.push({ outcome: outcomeOf(result), message: `${bindingLabel(b)}: ${result.message}` })
      }
    for (const t of targets.values()) {
      progress(r, `Connecting to ${new URL(t.url).host} as a client would…`)
      const result = await deps.probe({ url: t.url, header: t.header, serviceName: adapter.provider.name })
      results.push({ outcome: outcomeOf(result), message: result.message })
      progress(r, result.message)
    }
    const rejected = results.find((x) => x.outcome === 'rejected')
    if (rejected) return rollback(r, `Verification failed: ${rejected.message}`)
    const unreachable = results.find((x) => x.outcome === 'unreachable')
    if (unreachable) {
      throw new KeywardenError(
        'provider-unreachable',
        `Could not verify the new key: ${unreachable.message} Nothing was rolled back or revoked: your clients use the new key and the old one still works. Resume to verify again.`
      )
    }
    return advance(r, 'verified')
  }
}
