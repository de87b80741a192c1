import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import type { Provider } from '../../shared/schemas'
import type { McpHeaderStyle, ProviderAdapter, ValidationResult } from './adapter'
import { headerValue } from './catalog'
import { ServiceError, type createHttpClient } from './http'
import { probeMcp } from './mcp-probe'
import { safeDetail } from './redact'

type Http = ReturnType<typeof createHttpClient>

/**
 * A service whose keys are created and revoked by a person in its dashboard (VibeXP, Lybic, Lynxo,
 * most custom services). Keywarden can only check a key: with a harmless authenticated read where
 * the service documents one, otherwise with an MCP `initialize` through the service's MCP server.
 * Only a 401 proves a key dead; a 403 means the key is genuine but may not do this (a read-only or
 * custom-scope Lynxo key, a restricted account).
 */
export function dashboardAdapter(options: {
  provider: Provider
  header: McpHeaderStyle
  http: Http
  checkUrl?: string
  mcpUrl?: string
  dashboardUrl?: string
  fetch?: typeof fetch
}): ProviderAdapter {
  const { provider, header, http } = options
  const name = provider.name

  async function checkWithRead(checkUrl: string, value: string): Promise<ValidationResult> {
    try {
      await http.request(z.unknown(), { method: 'GET', url: checkUrl, headers: { [header.name]: headerValue(header, value) }, serviceName: name })
      return { valid: true, message: `${name} accepts this key.` }
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      if (error.status === 401) return { valid: false, revoked: true, message: `${name} rejected this key: ${error.message}` }
      if (error.status === 403) {
        return {
          valid: true,
          message: `${name} knows this key.`,
          warning: `${name} accepted the key but refused ${new URL(checkUrl).pathname} with it (${error.message}) — a key with limited permissions, or a restricted account.`
        }
      }
      if (error.status === 404) throw error
      return { valid: false, message: `${name} rejected this key: ${error.message}` }
    }
  }

  async function checkWithMcp(mcpUrl: string, value: string): Promise<ValidationResult> {
    // The probe only says yes or no; the statuses it met tell a dead key from a server out of reach.
    const statuses: number[] = []
    const baseFetch = options.fetch ?? fetch
    const recording: typeof fetch = async (input, init) => {
      const res = await baseFetch(input, init)
      statuses.push(res.status)
      return res
    }
    const result = await probeMcp({ url: mcpUrl, header: { name: header.name, value: headerValue(header, value) }, serviceName: name, fetch: recording })
    if (result.valid) return result
    if (statuses.includes(401)) return { valid: false, revoked: true, message: `${name}'s MCP server rejected this key: Invalid API Key.` }
    if (statuses.includes(403)) return { valid: false, message: `${name}'s MCP server refused this key (HTTP 403): it may lack access to this server.` }
    if (statuses.includes(429)) throw new KeywardenError('rate-limited', `${name} says: rate limit exceeded. Try again later.`)
    throw new KeywardenError('provider-unreachable', `${safeDetail(result.message, 300)} The key was not judged; check the MCP server URL and try again.`)
  }

  return {
    provider,
    managesKeys: false,
    header,
    mcpUrl: options.mcpUrl,
    dashboardUrl: options.dashboardUrl,
    async validateKey(value: string): Promise<ValidationResult> {
      if (options.checkUrl) return checkWithRead(options.checkUrl, value)
      if (options.mcpUrl) return checkWithMcp(options.mcpUrl, value)
      throw new KeywardenError(
        'unsupported',
        `${name} has no address Keywarden can check keys against. Add its MCP server URL in the provider's settings.`
      )
    }
  }
}
