import type { Provider } from '../../shared/schemas'
import type { ProviderAdapter, RemoteKeyInfo } from './adapter'
import type { createKeyApiClient } from './key-api'

type KeyApiClient = ReturnType<typeof createKeyApiClient>

/** A provider whose keys are managed through the Lyceum-style key API (Lyceum, the sandbox). */
export function keyApiAdapter(provider: Provider, client: KeyApiClient, mcpUrl?: string): ProviderAdapter {
  const toInfo = (r: Awaited<ReturnType<KeyApiClient['listKeys']>>[number]): RemoteKeyInfo => ({
    remoteId: r.remoteId,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt ?? undefined,
    active: r.active,
    lastUsedAt: r.lastUsedAt ?? undefined,
    requestCount: r.requestCount ?? undefined
  })
  return {
    provider,
    managesKeys: true,
    header: { name: 'Authorization', scheme: 'Bearer' },
    mcpUrl,
    // Lyceum's key document names no dashboard address; none is invented here.
    dashboardUrl: undefined,
    listKeys: async () => (await client.listKeys()).map(toInfo),
    async createKey(input) {
      const { record, value } = await client.createKey(input)
      return { record: toInfo(record), value }
    },
    revokeKey: (remoteId) => client.revokeKey(remoteId),
    toggleKey: async (remoteId) => toInfo(await client.toggleKey(remoteId)),
    async validateKey(value) {
      const result = await client.validateKey(value)
      if (result.valid) return { valid: true, message: `${provider.name} accepts this key.`, keyName: result.keyName }
      return { valid: false, message: `${provider.name} rejected this key: ${result.reason}` }
    }
  }
}
