import { KeywardenError } from '../../shared/errors'
import type { ClientId, Provider } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import { headerValue } from '../providers/catalog'
import type { ProbeResult } from '../providers/mcp-probe'
import { locationFor } from '../mcp-config/clients'
import { readContainer } from '../mcp-config/plan'
import { sameProject, type PathContext } from '../mcp-config/paths'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import { quoted } from '../../shared/input-errors'

export interface ServerRef {
  client: ClientId
  scope: string
  projectPath?: string
  serverName: string
}

export type ServerTestResult = { outcome: ProbeResult['outcome'] | 'untestable'; message: string }

/**
 * "Test" on the Tools page: connects to a configured MCP server the way its client would (MCP
 * initialize) with the key the client would send — from the keychain for an entry Keywarden
 * manages, from the file's own header for a plain-text one — and says whether it was let in.
 */
export type ServerTest = (ref: ServerRef) => Promise<ServerTestResult>

export function createServerTest(deps: {
  vault: Vault
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  paths: PathContext
  probe: (options: { url: string; header: { name: string; value: string }; serviceName: string }) => Promise<ProbeResult>
  /** Runs a binding's keychain bridge as its client starts it and lists the tools (absent: no launcher to trust). */
  probeBridge?: (bindingId: string, serviceName: string) => Promise<ProbeResult>
}) {
  return async function test(ref: ServerRef): Promise<ServerTestResult> {
    const loc = locationFor(deps.paths, ref.client, ref.scope, ref.projectPath)
    if (!loc) throw new KeywardenError('invalid-input', `${ref.client} has no ${quoted(ref.scope)} scope.`)
    const entry = (await readContainer(loc)).servers[ref.serverName] as Record<string, unknown> | undefined
    if (!entry || typeof entry !== 'object')
      throw new KeywardenError('not-found', `${loc.label} no longer has a server named "${ref.serverName}". Scan again.`)
    const url = typeof entry['url'] === 'string' ? entry['url'] : typeof entry['serverUrl'] === 'string' ? entry['serverUrl'] : undefined
    const binding = deps.vault.bindings
      .list()
      .find(
        (b) =>
          b.client === ref.client &&
          b.scope === ref.scope &&
          b.serverName === ref.serverName &&
          sameProject(b.projectPath, loc.projectPath, deps.paths.platform)
      )
    const key = binding && deps.vault.keys.find(binding.keyId)
    const provider = key && deps.vault.providers.find(key.providerId)
    const remote = Boolean(url && /^https?:/.test(url))
    // A bridge entry is a command the client starts: it is tested by starting Keywarden's bridge
    // for that binding and asking it for the tools (initialize, tools/list), as a rotation verifies it.
    if (!remote && binding?.placement === 'bridge' && deps.probeBridge) {
      if (!provider) return { outcome: 'untestable', message: `The key "${key?.name ?? 'of this entry'}" is not in this vault.` }
      // The bridge reads the key itself; what it meets (no key, a revoked one) is the answer.
      return deps.probeBridge(binding.id, provider.name)
    }
    if (!url || !remote)
      return {
        outcome: 'untestable',
        message: `"${ref.serverName}" is not a remote server Keywarden can connect to; its client starts it itself.`
      }

    const serviceName = ref.serverName
    if (binding) {
      const value = key && (await deps.secrets.get(accounts.key(key.id)))
      if (!provider || !value) return { outcome: 'untestable', message: `The key "${key?.name ?? 'of this entry'}" is not in this vault.` }
      const adapter = deps.adapterFor(provider)
      return deps.probe({
        url,
        header: { name: adapter.header.name, value: headerValue(adapter.header, value) },
        serviceName: provider.name
      })
    }
    const headers = entry['headers'] && typeof entry['headers'] === 'object' ? (entry['headers'] as Record<string, unknown>) : {}
    const [name, value] = Object.entries(headers).find((h): h is [string, string] => typeof h[1] === 'string' && !h[1].includes('${')) ?? []
    if (!name || !value)
      return {
        outcome: 'untestable',
        message: `"${ref.serverName}" gets its key at connect time from something Keywarden does not manage.`
      }
    return deps.probe({ url, header: { name, value }, serviceName })
  }
}
