import { KeywardenError } from '../../shared/errors'
import type { Binding, Rotation } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import { headerValue } from '../providers/catalog'
import { outcomeOf } from '../providers/mcp-probe'
import { keyFromHeader } from '../mcp-config/document/entries'
import { maskSecret } from '../vault/fingerprint'
import type { RotationCore, RotationDeps } from './steps'
import { bindingLabel } from './tool-updates'

interface Target {
  url: string
  header: { name: string; value: string }
}

/**
 * Verifying the new key with the service itself and through each MCP server the tools will
 * connect to, with the URL and header read back from each file. Only a definite rejection rolls
 * the tools back; a service that cannot be reached leaves everything as it is, to verify again.
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
    const name = Object.keys(entry.headers).find((h) => h.toLowerCase() === adapter.header.name.toLowerCase())
    const held = name ? keyFromHeader(entry.headers[name]!) : undefined
    if (held !== value) {
      throw new KeywardenError(
        'conflict',
        `${bindingLabel(binding)} holds ${held ? `another key (${maskSecret(held)})` : 'no key'} instead of the new one; someone changed it. Resume to write the new key again, or roll back.`
      )
    }
    return { url: entry.url ?? binding.url, header: { name: name!, value: entry.headers[name!]! } }
  }

  return async function verify(r: Rotation, adapter: ProviderAdapter): Promise<Rotation> {
    const value = await newValue(r)
    progress(r, `Checking the new key with ${adapter.provider.name}…`)
    // A service error (5xx, 429, timeout) throws here: the rotation keeps its state to retry.
    const service = await adapter.validateKey(value)
    const serviceOutcome = outcomeOf(service)
    if (serviceOutcome === 'rejected') return rollback(r, `Verification failed: ${service.message}`)
    const targets = new Map<string, Target>()
    for (const b of deps.store.read().bindings) {
      if (b.keyId !== r.newKeyId) continue
      const t = await targetOf(b, adapter, value)
      targets.set(`${t.url}\n${t.header.name.toLowerCase()}\n${t.header.value}`, t)
    }
    const results: Array<{ outcome: ReturnType<typeof outcomeOf>; message: string }> = [
      { outcome: serviceOutcome, message: service.message }
    ]
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
        `Could not verify the new key: ${unreachable.message} Nothing was rolled back or revoked: your tools use the new key and the old one still works. Resume to verify again.`
      )
    }
    return advance(r, 'verified')
  }
}
