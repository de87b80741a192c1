import type { Provider } from '../../shared/schemas'

/** A key as a service's own API lists it. */
export interface RemoteKeyInfo {
  remoteId: string
  name: string
  prefix: string
  createdAt: string
  expiresAt?: string
  active: boolean
  lastUsedAt?: string
  requestCount?: number
  scopes?: string[]
}

export interface ValidationResult {
  valid: boolean
  /** What the service said, in words a person can act on. */
  message: string
  /** The service's name for the key, where it says (Lyceum's validate does). */
  keyName?: string
  /**
   * Set with `valid: false` when the answer proves the key dead (401 "Invalid API Key"), as opposed
   * to a refusal that may pass (no permission, account suspended).
   */
  revoked?: boolean
  /** Accepted, but with a caveat worth showing (a scoped key that may not read everything). */
  warning?: string
}

/** How an MCP client must send a key to this service. */
export type { HeaderStyle as McpHeaderStyle } from '../../shared/provider-catalog'
import type { HeaderStyle as McpHeaderStyle } from '../../shared/provider-catalog'

/**
 * One service as Keywarden sees it. API-managed services implement the key operations;
 * dashboard-managed ones only validate, and their keys are created and revoked by a person.
 */
export interface ProviderAdapter {
  readonly provider: Provider
  readonly managesKeys: boolean
  readonly header: McpHeaderStyle
  /** The MCP server URL, when the service has one. */
  readonly mcpUrl?: string
  /** Where a person manages keys by hand. */
  readonly dashboardUrl?: string
  /** The service's keys, each already passed through `cleanRemoteKey` (or built to the same rules). */
  listKeys?(): Promise<RemoteKeyInfo[]>
  createKey?(input: { name: string; expiresAt?: string; idempotencyKey?: string }): Promise<{ record: RemoteKeyInfo; value: string }>
  revokeKey?(remoteId: string): Promise<void>
  toggleKey?(remoteId: string): Promise<RemoteKeyInfo>
  validateKey(value: string): Promise<ValidationResult>
  /** Dashboard-managed services: whether the documented address answers as that service would, without a key. */
  testReachable?(): Promise<{ ok: boolean; message: string }>
}
