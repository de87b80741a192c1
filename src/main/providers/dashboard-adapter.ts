import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import type { Provider } from '../../shared/schemas'
import type { McpHeaderStyle, ProviderAdapter, ValidationResult } from './adapter'
import { headerValue } from './catalog'
import type { createHttpClient } from './http'
import { probeMcp } from './mcp-probe'

type Http = ReturnType<typeof createHttpClient>

/**
 * A service whose keys are created and revoked by a person in its dashboard (VibeXP, Lybic, Lynxo,
 * most custom services). Keywarden can only check a key: with a harmless authenticated read where
 * the service documents one, otherwise with an MCP `initialize` through the service's MCP server.
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
  return {
    provider,
    managesKeys: false,
    header,
    mcpUrl: options.mcpUrl,
    dashboardUrl: options.dashboardUrl,
    async validateKey(value: string): Promise<ValidationResult> {
      if (options.checkUrl) {
        try {
          await http.request(z.unknown(), {
            method: 'GET',
            url: options.checkUrl,
            headers: { [header.name]: headerValue(header, value) },
            serviceName: provider.name
          })
          return { valid: true, message: `${provider.name} accepts this key.` }
        } catch (error) {
          if (error instanceof KeywardenError && (error.code === 'unauthorized' || error.code === 'provider-rejected')) {
            return { valid: false, message: `${provider.name} rejected this key: ${error.message}` }
          }
          throw error
        }
      }
      if (options.mcpUrl) {
        return probeMcp({
          url: options.mcpUrl,
          header: { name: header.name, value: headerValue(header, value) },
          serviceName: provider.name,
          fetch: options.fetch
        })
      }
      throw new KeywardenError(
        'unsupported',
        `${provider.name} has no address Keywarden can check keys against. Add its MCP server URL in the provider's settings.`
      )
    }
  }
}
