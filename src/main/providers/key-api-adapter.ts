import type { Provider } from '../../shared/schemas'
import type { ProviderAdapter } from './adapter'
import type { createKeyApiClient } from './key-api'

type KeyApiClient = ReturnType<typeof createKeyApiClient>

/** A provider whose keys are managed through the Lyceum-style key API (Lyceum, the sandbox). */
export function keyApiAdapter(provider: Provider, client: KeyApiClient, mcpUrl?: string): ProviderAdapter {
  return {
    provider,
    managesKeys: true,
    header: { name: 'Authorization', scheme: 'Bearer' },
    mcpUrl,
    // Lyceum's key document names no dashboard address; none is invented here.
    dashboardUrl: undefined,
    // The client already hands over RemoteKeyInfo records, cleaned: no second copy of a large list.
    listKeys: () => client.listKeys(),
    createKey: (input) => client.createKey(input),
    revokeKey: (remoteId) => client.revokeKey(remoteId),
    toggleKey: (remoteId) => client.toggleKey(remoteId),
    async validateKey(value) {
      const result = await client.validateKey(value)
      if (result.valid) return { valid: true, message: `${provider.name} accepts this key.`, keyName: result.keyName }
      return { valid: false, message: `${provider.name} rejected this key: ${result.reason}` }
    }
  }
}
