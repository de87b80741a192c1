import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import type { Provider } from '../../shared/schemas'
import type { McpHeaderStyle, ProviderAdapter, ValidationResult } from './adapter'
import { headerValue } from './catalog'
import { ServiceError, type createHttpClient } from './http'
import { probeMcp } from './mcp-probe'
import { safeDetail } from '../vault/redaction'

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
  timeoutMs?: number
}): ProviderAdapter {
  const { provider, header, http } = options
  const name = provider.name

  async function checkWithRead(checkUrl: string, value: string): Promise<ValidationResult> {
    try {
      await http.request(z.unknown(), {
        method: 'GET',
        url: checkUrl,
        headers: { [header.name]: headerValue(header, value) },
        serviceName: name
      })
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
    const result = await probeMcp({
      url: mcpUrl,
      header: { name: header.name, value: headerValue(header, value) },
      serviceName: name,
      fetch: recording
    })
    if (result.valid) return result
    if (statuses.includes(401)) return { valid: false, revoked: true, message: `${name}'s MCP server rejected this key: Invalid API Key.` }
    if (statuses.includes(403))
      return { valid: false, message: `${name}'s MCP server refused this key (HTTP 403): it may lack access to this server.` }
    if (statuses.includes(429)) throw new KeywardenError('rate-limited', `${name} says: rate limit exceeded. Try again later.`)
    throw new KeywardenError(
      'provider-unreachable',
      `${safeDetail(result.message, 300)} The key was not judged; check the MCP server URL and try again.`
    )
  }

  /**
   * Without a key: is the documented address there at all? The check URL (GET) or the MCP server
   * (an `initialize` POST) must answer 401, as a service that wants a key does.
   */
  async function testReachable(): Promise<{ ok: boolean; message: string }> {
    const target = options.checkUrl ?? options.mcpUrl
    if (!target) return { ok: false, message: `${name} has no address to test. Add its MCP server URL.` }
    const viaMcp = !options.checkUrl
    let res: Response
    try {
      res = await (options.fetch ?? fetch)(target, {
        method: viaMcp ? 'POST' : 'GET',
        headers: viaMcp
          ? { accept: 'application/json, text/event-stream', 'content-type': 'application/json' }
          : { accept: 'application/json' },
        body: viaMcp
          ? JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              method: 'initialize',
              params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'keywarden', version: '1' } }
            })
          : undefined,
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        redirect: 'manual'
      })
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      return {
        ok: false,
        message: timedOut
          ? `${name} did not answer at ${target}. Check the address and your connection.`
          : `Could not reach ${name} at ${new URL(target).origin}. Check the address and your connection.`
      }
    }
    await res.body?.cancel().catch(() => undefined)
    const what = viaMcp ? 'MCP server' : 'API'
    if (res.status === 401)
      return { ok: true, message: `${name}'s ${what} answered at ${target} and asks for a key, as documented. Paste a key to check it.` }
    if (res.status === 429)
      return { ok: true, message: `${name}'s ${what} answered at ${target} but is rate limiting; keys can be checked later.` }
    if (res.status === 404)
      return { ok: false, message: `${name} has nothing at ${target} (HTTP 404). Check the ${viaMcp ? 'MCP server URL' : 'API base URL'}.` }
    if (res.ok)
      return {
        ok: false,
        message: `${target} answered without asking for a key (HTTP ${res.status}): that does not look like ${name}'s ${what}. Check the address.`
      }
    return { ok: false, message: `${name} answered HTTP ${res.status} at ${target}. Check the address, or try again later.` }
  }

  return {
    provider,
    managesKeys: false,
    testReachable,
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
