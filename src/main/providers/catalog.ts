import type { ProviderKind } from '../../shared/schemas'
import type { McpHeaderStyle } from './adapter'

/** What the services' own documents say about their keys; one entry per built-in kind. */
export interface ProviderKindInfo {
  kind: ProviderKind
  label: string
  /** How keys are created and revoked: by API, or by a person in the dashboard. */
  management: 'api' | 'dashboard'
  /** Recognises a pasted value; near-misses (wrong length, wrong alphabet) do not match. */
  keyPattern?: RegExp
  keyPrefix?: string
  header: McpHeaderStyle
  defaultBaseUrl?: string
  /** Authenticated, harmless read used to check a key (dashboard-managed services). */
  checkPath?: string
  defaultMcpUrl?: string
  dashboardUrl?: string
  /** Fields the connect screen asks for. */
  fields: Array<'baseUrl' | 'mcpUrl' | 'orgId' | 'email' | 'password' | 'apiKey' | 'dashboardUrl'>
  /** Limits worth warning about before they are hit. */
  maxActiveKeys?: number
  scopes?: string[]
}

export const providerCatalog: Record<Exclude<ProviderKind, 'custom'>, ProviderKindInfo> = {
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

/** Renders the header value an MCP client must send. */
export function headerValue(style: McpHeaderStyle, key: string): string {
  return style.scheme === 'Bearer' ? `Bearer ${key}` : key
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
