import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import { customProviderSpecSchema, type ConnectProviderInput, type Provider } from '../../shared/schemas'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { ProviderAdapter } from './adapter'
import { providerCatalog } from './catalog'

/** Connecting, testing, removing providers, and sharing custom ones as JSON without secrets. */
export function createProvidersService(deps: {
  store: MetadataStore
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  forgetAdapter: (providerId: string) => void
  now?: () => Date
  emit?: (event: { type: 'providers.changed' } | { type: 'keys.changed' }) => void
}) {
  const now = deps.now ?? (() => new Date())

  function draftProvider(input: ConnectProviderInput, id: string): Provider {
    const label = input.kind === 'custom' ? input.custom?.name : providerCatalog[input.kind].label
    if (input.kind === 'custom' && !input.custom) throw new KeywardenError('invalid-input', 'Describe the custom service first.')
    if (input.kind === 'lybic' && !input.orgId) throw new KeywardenError('invalid-input', 'Lybic keys belong to one organization: enter its Organization ID from the API Keys page.')
    if (input.kind === 'lyceum' && !input.apiKey && !(input.email && input.password)) {
      throw new KeywardenError('invalid-input', 'Sign in to Lyceum with your email and password, or paste an existing lk_ key to use as the bearer.')
    }
    return {
      id,
      kind: input.kind,
      name: input.name?.trim() || (input.kind === 'lybic' && input.orgId ? `${label} (${input.orgId.trim()})` : label) || input.kind,
      baseUrl: input.baseUrl || undefined,
      mcpUrl: input.mcpUrl || undefined,
      orgId: input.orgId || undefined,
      email: input.email || undefined,
      dashboardUrl: input.dashboardUrl || undefined,
      custom: input.custom,
      createdAt: now().toISOString(),
      sync: {}
    }
  }

  async function saveCredentials(providerId: string, input: ConnectProviderInput): Promise<void> {
    if (input.password) await deps.secrets.set(accounts.providerPassword(providerId), input.password)
    if (input.apiKey) await deps.secrets.set(accounts.providerApiKey(providerId), input.apiKey)
  }

  async function check(provider: Provider): Promise<{ ok: boolean; message: string }> {
    const adapter = deps.adapterFor(provider)
    try {
      if (adapter.managesKeys && adapter.listKeys) {
        const keys = await adapter.listKeys()
        return { ok: true, message: `Connected to ${provider.name}: ${keys.length} key${keys.length === 1 ? '' : 's'} listed.` }
      }
      return { ok: true, message: `${provider.name} is set up. Paste a key to check it against the service.` }
    } catch (error) {
      return { ok: false, message: error instanceof KeywardenError ? error.message : `Could not connect to ${provider.name}.` }
    }
  }

  return {
    list: (): Provider[] => deps.store.read().providers,

    /** Checks the settings with a real request before anything is saved. */
    async test(input: ConnectProviderInput): Promise<{ ok: boolean; message: string }> {
      const id = `test-${randomUUID()}`
      const provider = draftProvider(input, id)
      await saveCredentials(id, input)
      try {
        return await check(provider)
      } finally {
        deps.forgetAdapter(id)
        await Promise.all([
          deps.secrets.delete(accounts.providerPassword(id)),
          deps.secrets.delete(accounts.providerApiKey(id)),
          deps.secrets.delete(accounts.providerSession(id))
        ]).catch(() => undefined)
      }
    },

    async connect(input: ConnectProviderInput): Promise<Provider> {
      const provider = draftProvider(input, `${input.kind}-${randomUUID().slice(0, 8)}`)
      await saveCredentials(provider.id, input)
      await deps.store.update((data) => {
        data.providers.push(provider)
      })
      deps.emit?.({ type: 'providers.changed' })
      return provider
    },

    async remove(providerId: string): Promise<{ ok: true }> {
      const provider = deps.store.read().providers.find((p) => p.id === providerId)
      if (!provider) throw new KeywardenError('not-found', 'That provider is no longer connected.')
      if (provider.kind === 'sandbox') throw new KeywardenError('unsupported', 'The Local sandbox is built in and cannot be removed.')
      const keyIds = deps.store.read().keys.filter((k) => k.providerId === providerId).map((k) => k.id)
      if (deps.store.read().bindings.some((b) => keyIds.includes(b.keyId))) {
        throw new KeywardenError('conflict', `${provider.name}'s keys are still used by MCP configs; remove those first (Tools screen).`)
      }
      await deps.store.update((data) => {
        data.providers = data.providers.filter((p) => p.id !== providerId)
        data.keys = data.keys.filter((k) => k.providerId !== providerId)
      })
      for (const id of keyIds) await deps.secrets.delete(accounts.key(id)).catch(() => false)
      for (const account of [accounts.providerPassword(providerId), accounts.providerApiKey(providerId), accounts.providerSession(providerId)]) {
        await deps.secrets.delete(account).catch(() => false)
      }
      deps.forgetAdapter(providerId)
      deps.emit?.({ type: 'providers.changed' })
      deps.emit?.({ type: 'keys.changed' })
      return { ok: true }
    },

    /** The rotation age for one provider's keys; null goes back to the default (90 days). */
    async setRotationDays(providerId: string, days: number | null): Promise<Provider> {
      const updated = await deps.store.update((data) => {
        const p = data.providers.find((x) => x.id === providerId)
        if (!p) throw new KeywardenError('not-found', 'That provider is no longer connected.')
        p.rotationDays = days ?? undefined
        return { ...p }
      })
      deps.emit?.({ type: 'providers.changed' })
      deps.emit?.({ type: 'keys.changed' })
      return updated
    },

    exportCustom(providerId: string): { json: string } {
      const provider = deps.store.read().providers.find((p) => p.id === providerId)
      if (!provider?.custom) throw new KeywardenError('not-found', 'Only custom providers can be exported.')
      // The description only: no credentials, no keys.
      return { json: `${JSON.stringify({ keywardenProvider: 1, ...provider.custom }, null, 2)}\n` }
    },

    parseCustom(json: string) {
      let raw: unknown
      try {
        raw = JSON.parse(json)
      } catch (error) {
        throw new KeywardenError('invalid-input', `That is not valid JSON: ${(error as Error).message}`)
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new KeywardenError('invalid-input', 'A provider description is a JSON object.')
      }
      const { keywardenProvider: _marker, ...spec } = raw as Record<string, unknown>
      const parsed = customProviderSpecSchema.safeParse(spec)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new KeywardenError('invalid-input', `The provider description is not valid: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`)
      }
      return parsed.data
    },

    check
  }
}

export type ProvidersService = ReturnType<typeof createProvidersService>
