import type { ProviderKind } from '../../shared/schemas'
import { providerCatalog } from '../../shared/provider-catalog'
import type { ProviderKindInfo } from '../../shared/providers'
import type { McpHeaderStyle } from './adapter'

export { providerCatalog, kindOfPrefix, type ProviderKindEntry } from '../../shared/provider-catalog'
export { headerValue } from '../mcp-config/server-entry'

/** The catalog as the window sees it: without key patterns, check paths and header styles. */
export function catalogForWindow(): ProviderKindInfo[] {
  return Object.values(providerCatalog).map(({ keyPattern: _p, checkPath: _c, header: _h, ...info }) => info)
}

/** The header a provider's MCP server expects, without building a full adapter. */
export function headerStyleFor(provider: {
  kind: ProviderKind
  custom?: { header: { name: string; scheme: 'Bearer' | 'none' } }
}): McpHeaderStyle {
  if (provider.kind === 'custom' && provider.custom) {
    return { name: provider.custom.header.name, scheme: provider.custom.header.scheme === 'Bearer' ? 'Bearer' : undefined }
  }
  return provider.kind === 'custom' ? { name: 'Authorization', scheme: 'Bearer' } : providerCatalog[provider.kind].header
}
