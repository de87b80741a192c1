import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import {
  customProviderSpecSchema,
  type ConnectProviderInput,
  type CustomProviderSpec,
  type Provider,
  type UpdateProviderInput
} from '../../shared/schemas'
import type { Vault } from '../vault/vault'
import { describeIssue } from '../../shared/input-errors'
import { bareKey } from '../mcp-config/server-entry'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { ProviderAdapter } from './adapter'
import { providerCatalog } from './catalog'

/** Connecting, testing, removing providers, and sharing custom ones as JSON without secrets. */
export function createProvidersService(deps: {
  vault: Vault
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  forgetAdapter: (providerId: string) => void
  now?: () => Date
}) {
  const now = deps.now ?? (() => new Date())
  const { vault } = deps

  /** Whether Keywarden manages this kind's keys by API (so it needs credentials to sign in). */
  const managedByApi = (input: { kind: Provider['kind']; custom?: CustomProviderSpec }) =>
    input.kind === 'lyceum' || (input.kind === 'custom' && Boolean(input.custom?.keyApi))

  function checkSettings(p: Pick<Provider, 'kind' | 'orgId' | 'mcpUrl' | 'custom'>) {
    if (p.kind === 'custom' && !p.custom) throw new KeywardenError('invalid-input', 'Describe the custom service first.')
    if (p.kind === 'lybic' && !p.orgId)
      throw new KeywardenError('invalid-input', 'Lybic keys belong to one organization: enter its Organization ID from the API Keys page.')
    if (p.kind === 'lybic' && !p.mcpUrl) {
      throw new KeywardenError(
        'invalid-input',
        'Lybic keys can only be checked through your MCP server: enter its URL (the "url" of your Lybic MCP server configuration).'
      )
    }
  }

  function draftProvider(input: ConnectProviderInput, id: string): Provider {
    const label = input.kind === 'custom' ? input.custom?.name : providerCatalog[input.kind].label
    checkSettings({ kind: input.kind, orgId: input.orgId || undefined, mcpUrl: input.mcpUrl || undefined, custom: input.custom })
    if (managedByApi(input) && !input.apiKey && !(input.email && input.password)) {
      throw new KeywardenError(
        'invalid-input',
        `Sign in to ${label} with your email and password, or paste an existing key to use as the bearer.`
      )
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
    // A dashboard-managed service has no management API: a key given there was only to test with.
    if (!managedByApi(input)) return
    if (input.password) await deps.secrets.set(accounts.providerPassword(providerId), input.password)
    if (input.apiKey) await deps.secrets.set(accounts.providerApiKey(providerId), input.apiKey)
  }

  async function check(provider: Provider, testKey?: string): Promise<{ ok: boolean; message: string }> {
    try {
      const adapter = deps.adapterFor(provider)
      if (adapter.managesKeys && adapter.listKeys) {
        const keys = await adapter.listKeys()
        return { ok: true, message: `Connected to ${provider.name}: ${keys.length} key${keys.length === 1 ? '' : 's'} listed.` }
      }
      if (testKey) {
        const result = await adapter.validateKey(bareKey(testKey))
        return { ok: result.valid, message: [result.message, result.warning].filter(Boolean).join(' ') }
      }
      if (adapter.testReachable) return await adapter.testReachable()
      return { ok: false, message: `${provider.name} has no address Keywarden can test.` }
    } catch (error) {
      return { ok: false, message: error instanceof KeywardenError ? error.message : `Could not connect to ${provider.name}.` }
    }
  }

  /** Checks the settings with a real request before anything is saved. */
  async function test(input: ConnectProviderInput): Promise<{ ok: boolean; message: string }> {
    const id = `test-${randomUUID()}`
    const provider = draftProvider(input, id)
    await saveCredentials(id, input)
    try {
      return await check(provider, managedByApi(input) ? undefined : input.apiKey)
    } finally {
      deps.forgetAdapter(id)
      await Promise.all([
        deps.secrets.delete(accounts.providerPassword(id)),
        deps.secrets.delete(accounts.providerApiKey(id)),
        deps.secrets.delete(accounts.providerSession(id))
      ]).catch(() => undefined)
    }
  }

  return {
    list: (): Provider[] => vault.providers.list(),

    test,

    /**
     * Saves a provider. With `check`, credentials (a password, a bearer key, a key to test with) are
     * tried with a real request first, and nothing is saved when the service refuses them.
     */
    async connect(input: ConnectProviderInput, options: { check?: boolean } = {}): Promise<Provider> {
      if (options.check && (managedByApi(input) || input.apiKey)) {
        const checked = await test(input)
        if (!checked.ok)
          throw new KeywardenError('provider-rejected', `${checked.message} Nothing was saved: correct it, then connect again.`)
      }
      const provider = draftProvider(input, `${input.kind}-${randomUUID().slice(0, 8)}`)
      await saveCredentials(provider.id, input)
      return vault.providers.add(provider)
    },

    /**
     * Renames a provider, changes its addresses or organization, or signs in again with a new
     * password or key. Key values in the keychain are left as they are.
     */
    async update(input: UpdateProviderInput): Promise<Provider> {
      const current = vault.providers.get(input.providerId)
      if (current.kind === 'sandbox')
        throw new KeywardenError('unsupported', 'The Local sandbox is built in; its settings cannot be changed.')
      const pick = (value: string | undefined, was: string | undefined) => (value === undefined ? was : value.trim() || undefined)
      const next: Provider = {
        ...current,
        name: input.name?.trim() || current.name,
        baseUrl: pick(input.baseUrl, current.baseUrl),
        mcpUrl: pick(input.mcpUrl, current.mcpUrl),
        orgId: pick(input.orgId, current.orgId),
        email: pick(input.email, current.email),
        dashboardUrl: pick(input.dashboardUrl, current.dashboardUrl)
      }
      checkSettings(next)
      const api = managedByApi(next)
      if (api && input.password && !next.email)
        throw new KeywardenError('invalid-input', `Enter the email that goes with the new ${next.name} password.`)
      await vault.providers.update(next)
      if (api && (input.password || input.apiKey || next.email !== current.email)) {
        // Signing in again: the old session is no good, and the newer credential wins.
        await deps.secrets.delete(accounts.providerSession(next.id)).catch(() => false)
        if (input.apiKey) {
          await deps.secrets.set(accounts.providerApiKey(next.id), input.apiKey)
        } else if (input.password) {
          await deps.secrets.set(accounts.providerPassword(next.id), input.password)
          await deps.secrets.delete(accounts.providerApiKey(next.id)).catch(() => false)
        }
      }
      deps.forgetAdapter(next.id)
      return next
    },

    async remove(providerId: string): Promise<{ ok: true }> {
      const provider = vault.providers.get(providerId)
      if (provider.kind === 'sandbox') throw new KeywardenError('unsupported', 'The Local sandbox is built in and cannot be removed.')
      const { keyIds } = await vault.providers.remove(providerId)
      for (const id of keyIds) await deps.secrets.delete(accounts.key(id)).catch(() => false)
      for (const account of [
        accounts.providerPassword(providerId),
        accounts.providerApiKey(providerId),
        accounts.providerSession(providerId)
      ]) {
        await deps.secrets.delete(account).catch(() => false)
      }
      deps.forgetAdapter(providerId)
      return { ok: true }
    },

    /** The rotation age for one provider's keys; null goes back to the default (90 days). */
    async setRotationDays(providerId: string, days: number | null): Promise<Provider> {
      return vault.providers.setRotationDays(providerId, days ?? undefined)
    },

    /** Connects a service from a shared description; credentials go straight to the keychain. */
    async importCustom(input: { json: string; email?: string; password?: string; apiKey?: string }): Promise<Provider> {
      const custom = this.parseCustom(input.json)
      return this.connect({ kind: 'custom', name: custom.name, custom, email: input.email, password: input.password, apiKey: input.apiKey })
    },

    exportCustom(providerId: string): { json: string } {
      const provider = vault.providers.find(providerId)
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
        throw new KeywardenError('invalid-input', `The provider description is not valid: ${describeIssue(parsed.error.issues[0])}`)
      }
      return parsed.data
    },

    check
  }
}

export type ProvidersService = ReturnType<typeof createProvidersService>
