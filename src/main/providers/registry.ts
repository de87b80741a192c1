import { customProviderSpecSchema, type Provider } from '../../shared/schemas'
import { KeywardenError } from '../../shared/errors'
import { describeIssue } from '../../shared/input-errors'
import type { ProviderAdapter } from './adapter'
import { createHttpClient } from './http'
import { createKeyApiClient, type Credentials, type KeyApiPathMap } from './key-api'
import { keyApiAdapter } from './key-api-adapter'
import type { SecretStore } from '../vault/secret-store'
import { accounts } from '../vault/secret-store'
import { keychainTokenCache } from './session-cache'
import { providerCatalog } from './catalog'
import { dashboardAdapter } from './dashboard-adapter'
import { SANDBOX_SIGN_IN_LOST } from './sandbox-provider'

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/$/, '')
}

export interface AdapterDeps {
  secrets: SecretStore
  /** Fingerprints of the vault's keys, masked by value in anything a service says. */
  fingerprints?: () => ReadonlySet<string>
  fetch?: typeof fetch
  now?: () => Date
  /** The embedded sandbox's addresses while it runs. */
  sandbox?: () => { url: string; mcpUrl: string } | undefined
  timeoutMs?: number
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
}

/** Builds the adapter for a connected provider; adapters are cached per provider record. */
export function createAdapterRegistry(deps: AdapterDeps) {
  // Every credential and session token an adapter has read: no service message may echo one back.
  const known = new Set<string>()
  const remember = (...values: Array<string | null | undefined>) => values.forEach((v) => v && known.add(v))
  const http = createHttpClient({
    knownSecrets: () => known,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    backoffMs: deps.backoffMs,
    sleep: deps.sleep,
    fingerprints: deps.fingerprints
  })
  const cache = new Map<string, { provider: Provider; adapter: ProviderAdapter }>()

  function build(provider: Provider): ProviderAdapter {
    switch (provider.kind) {
      case 'sandbox': {
        const running = deps.sandbox?.()
        if (!running) {
          throw new KeywardenError('provider-unreachable', 'The local sandbox is not running. Restart Keywarden to start it again.')
        }
        return keyApiAdapter(provider, apiClient(provider, running.url, 'Local sandbox', undefined, SANDBOX_SIGN_IN_LOST), running.mcpUrl)
      }
      case 'lyceum': {
        const baseUrl = provider.baseUrl ?? providerCatalog.lyceum.defaultBaseUrl!
        return keyApiAdapter(provider, apiClient(provider, baseUrl, provider.name), provider.mcpUrl)
      }
      case 'vibexp':
      case 'lybic':
      case 'lynxo': {
        const info = providerCatalog[provider.kind]
        const baseUrl = provider.baseUrl ?? info.defaultBaseUrl
        return dashboardAdapter({
          provider,
          header: info.header,
          http,
          checkUrl: info.checkPath && baseUrl ? joinUrl(baseUrl, info.checkPath) : undefined,
          mcpUrl: provider.mcpUrl ?? info.defaultMcpUrl,
          dashboardUrl: provider.dashboardUrl ?? info.dashboardUrl,
          fetch: deps.fetch,
          timeoutMs: deps.timeoutMs
        })
      }
      case 'custom': {
        const spec = provider.custom
        if (!spec) throw new KeywardenError('invalid-input', `${provider.name} has no description; connect it again.`)
        // Saved by an older version with looser rules: never send a key on its say-so.
        const checked = customProviderSpecSchema.safeParse(spec)
        if (!checked.success) {
          throw new KeywardenError(
            'invalid-input',
            `${provider.name}'s description is not safe to use (${describeIssue(checked.error.issues[0])}). Edit it or import it again.`
          )
        }
        const header = { name: spec.header.name, scheme: spec.header.scheme === 'Bearer' ? ('Bearer' as const) : undefined }
        if (spec.keyApi && spec.baseUrl) {
          const { basePath, ...paths } = spec.keyApi
          const adapter = keyApiAdapter(provider, apiClient(provider, joinUrl(spec.baseUrl, basePath), provider.name, paths), spec.mcpUrl)
          return { ...adapter, header, dashboardUrl: spec.dashboardUrl }
        }
        return dashboardAdapter({
          provider,
          header,
          http,
          checkUrl: spec.checkUrl,
          mcpUrl: spec.mcpUrl,
          dashboardUrl: spec.dashboardUrl,
          fetch: deps.fetch,
          timeoutMs: deps.timeoutMs
        })
      }
    }
  }

  async function readCredentials(provider: Provider): Promise<Credentials> {
    const apiKey = await deps.secrets.get(accounts.providerApiKey(provider.id))
    remember(apiKey)
    if (apiKey) return { kind: 'apiKey', key: apiKey }
    const password = await deps.secrets.get(accounts.providerPassword(provider.id))
    remember(password)
    if (password && provider.email) return { kind: 'password', email: provider.email, password }
    // The Local sandbox has no sign-in form: the person cannot "sign in again", only have one set.
    if (provider.kind === 'sandbox') throw new KeywardenError('unauthorized', SANDBOX_SIGN_IN_LOST)
    throw new KeywardenError('unauthorized', `Sign in to ${provider.name} again: no credentials are saved for it.`)
  }

  function apiClient(provider: Provider, baseUrl: string, serviceName: string, paths?: Partial<KeyApiPathMap>, signInRefused?: string) {
    // Read from the keychain once per adapter; a changed provider record builds a new adapter.
    let credentials: Promise<Credentials> | undefined
    return createKeyApiClient({
      baseUrl,
      http,
      serviceName,
      paths,
      signInRefused,
      now: deps.now,
      tokenCache: rememberedTokens(keychainTokenCache(deps.secrets, provider.id)),
      credentials: () =>
        (credentials ??= readCredentials(provider).catch((error: unknown) => {
          credentials = undefined
          throw error
        }))
    })
  }

  function rememberedTokens(cache: ReturnType<typeof keychainTokenCache>): ReturnType<typeof keychainTokenCache> {
    return {
      async get() {
        const session = await cache.get()
        remember(session?.accessToken, session?.refreshToken)
        return session
      },
      async set(session) {
        remember(session?.accessToken, session?.refreshToken)
        await cache.set(session)
      }
    }
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
