import type { Provider } from '../../shared/schemas'
import { KeywardenError } from '../../shared/errors'
import type { ProviderAdapter } from './adapter'
import { createHttpClient } from './http'
import { createKeyApiClient } from './key-api'
import { keyApiAdapter } from './key-api-adapter'
import type { SecretStore } from '../vault/secret-store'
import { accounts } from '../vault/secret-store'
import { keychainTokenCache } from './session-cache'

export interface AdapterDeps {
  secrets: SecretStore
  fetch?: typeof fetch
  now?: () => Date
  /** The embedded sandbox's addresses while it runs. */
  sandbox?: () => { url: string; mcpUrl: string } | undefined
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

/** Builds the adapter for a connected provider; adapters are cached per provider record. */
export function createAdapterRegistry(deps: AdapterDeps) {
  const http = createHttpClient({ fetch: deps.fetch, timeoutMs: deps.timeoutMs, sleep: deps.sleep })
  const cache = new Map<string, { provider: Provider; adapter: ProviderAdapter }>()

  function build(provider: Provider): ProviderAdapter {
    switch (provider.kind) {
      case 'sandbox': {
        const running = deps.sandbox?.()
        if (!running) {
          throw new KeywardenError('provider-unreachable', 'The local sandbox is not running. Restart Keywarden to start it again.')
        }
        return keyApiAdapter(provider, apiClient(provider, running.url, 'Local sandbox'), running.mcpUrl)
      }
      case 'lyceum': {
        const baseUrl = provider.baseUrl ?? 'https://api.lyceum.technology/api/v2/external'
        return keyApiAdapter(provider, apiClient(provider, baseUrl, 'Lyceum'), provider.mcpUrl)
      }
      default:
        throw new KeywardenError('unsupported', `${provider.name}: this kind of provider is not supported yet.`)
    }
  }

  function apiClient(provider: Provider, baseUrl: string, serviceName: string) {
    return createKeyApiClient({
      baseUrl,
      http,
      serviceName,
      now: deps.now,
      tokenCache: keychainTokenCache(deps.secrets, provider.id),
      credentials: async () => {
        const apiKey = await deps.secrets.get(accounts.providerApiKey(provider.id))
        if (apiKey) return { kind: 'apiKey' as const, key: apiKey }
        const password = await deps.secrets.get(accounts.providerPassword(provider.id))
        if (password && provider.email) return { kind: 'password' as const, email: provider.email, password }
        throw new KeywardenError('unauthorized', `Sign in to ${provider.name} again: no credentials are saved for it.`)
      }
    })
  }

  return {
    adapterFor(provider: Provider): ProviderAdapter {
      const hit = cache.get(provider.id)
      // Rebuild when the record changed (new base URL, new org) so no stale address is used.
      if (hit && JSON.stringify(hit.provider) === JSON.stringify({ ...provider, sync: hit.provider.sync })) return hit.adapter
      const adapter = build(provider)
      cache.set(provider.id, { provider, adapter })
      return adapter
    },
    forget(providerId: string) {
      cache.delete(providerId)
    }
  }
}
