// The built-in services as their own documents describe them. Plain data, so both the contract's
// checks (no custom prefix may shadow a built-in one) and main's adapters read the same facts.
import type { ProviderKind, ProviderKindInfo } from './providers'

/** How an MCP client must send a key to a service: the header, and whether "Bearer " goes first. */
export interface HeaderStyle {
  name: string
  scheme?: 'Bearer'
}

/** What the services' own documents say about their keys; one entry per built-in kind. */
export type ProviderKindEntry = ProviderKindInfo & {
  /** Recognises a pasted value; near-misses (wrong length, wrong alphabet) do not match. */
  keyPattern?: RegExp
  /** How an MCP client sends the key to this service. */
  header: HeaderStyle
  /** Authenticated, harmless read used to check a key (dashboard-managed services). */
  checkPath?: string
}

/** The one source of the built-in services' key prefixes, shapes and addresses. */
export const providerCatalog: Record<Exclude<ProviderKind, 'custom'>, ProviderKindEntry> = {
  sandbox: {
    kind: 'sandbox',
    label: 'Local sandbox',
    management: 'api',
    keyPattern: /^sbx_[A-Za-z0-9]{32,64}$/,
    keyPrefix: 'sbx_',
    header: { name: 'Authorization', scheme: 'Bearer' },
    fields: []
  },
  lyceum: {
    kind: 'lyceum',
    label: 'Lyceum',
    management: 'api',
    keyPattern: /^lk_[A-Za-z0-9_-]{16,128}$/,
    keyPrefix: 'lk_',
    header: { name: 'Authorization', scheme: 'Bearer' },
    defaultBaseUrl: 'https://api.lyceum.technology/api/v2/external',
    fields: ['baseUrl', 'email', 'password', 'apiKey', 'mcpUrl']
  },
  vibexp: {
    kind: 'vibexp',
    label: 'VibeXP',
    management: 'dashboard',
    // vib_ and a 64-character token (VibeXP API Keys Guide, "Key Format"); the guide's own example
    // has 60, so both documented shapes are accepted. Other lengths are near-misses, offered only.
    keyPattern: /^vib_[A-Za-z0-9]{60}(?:[A-Za-z0-9]{4})?$/,
    keyPrefix: 'vib_',
    header: { name: 'Authorization', scheme: 'Bearer' },
    defaultBaseUrl: 'https://api.vibexp.io',
    checkPath: '/api/v1/prompts',
    defaultMcpUrl: 'https://api.vibexp.io/mcp/v1/common',
    dashboardUrl: 'https://app.vibexp.io',
    fields: ['baseUrl', 'mcpUrl']
  },
  lybic: {
    kind: 'lybic',
    label: 'Lybic',
    management: 'dashboard',
    keyPattern: /^lysk-[A-Za-z0-9_-]{16,128}$/,
    keyPrefix: 'lysk-',
    // Lybic's MCP server takes the key in x-api-key, not Authorization.
    header: { name: 'x-api-key' },
    fields: ['orgId', 'baseUrl', 'mcpUrl', 'dashboardUrl']
  },
  lynxo: {
    kind: 'lynxo',
    label: 'Lynxo',
    management: 'dashboard',
    // Lynxo's documents give no key prefix: a pasted key is filed under Lynxo only when chosen.
    header: { name: 'Authorization', scheme: 'Bearer' },
    defaultBaseUrl: 'https://api.lynxo.ai',
    checkPath: '/v1/jobs',
    fields: ['baseUrl', 'mcpUrl', 'dashboardUrl'],
    maxActiveKeys: 50,
    scopes: ['read-only', 'read-write', 'full', 'custom']
  }
}

/** The built-in service a key value's prefix names, if any. */
export function kindOfPrefix(value: string): Exclude<ProviderKind, 'custom'> | undefined {
  return (Object.keys(providerCatalog) as Array<keyof typeof providerCatalog>).find((kind) => {
    const prefix = providerCatalog[kind].keyPrefix
    return prefix !== undefined && value.startsWith(prefix)
  })
}
