import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { ValidationResult } from './adapter'

/**
 * Connects to an MCP server the way a client such as Claude Code does (streamable HTTP,
 * `initialize`) with the given header, and reports whether the server let it in.
 */
export async function probeMcp(options: {
  url: string
  header: { name: string; value: string }
  serviceName: string
  timeoutMs?: number
  fetch?: typeof fetch
}): Promise<ValidationResult> {
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers: { [options.header.name]: options.header.value } },
    fetch: options.fetch
  })
  const client = new Client({ name: 'keywarden', version: '1' })
  const timeout = options.timeoutMs ?? 10_000
  try {
    await client.connect(transport, { timeout })
    const server = client.getServerVersion()
    return { valid: true, message: `${options.serviceName}'s MCP server accepted the key${server?.name ? ` (${server.name})` : ''}.` }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    const rejected = /\b(401|403)\b|unauthori[sz]ed|invalid api key|forbidden/i.test(text)
    return {
      valid: false,
      message: rejected
        ? `${options.serviceName}'s MCP server rejected the key.`
        : `Could not connect to ${options.serviceName}'s MCP server at ${new URL(options.url).origin}: ${text.slice(0, 200)}`
    }
  } finally {
    await client.close().catch(() => undefined)
  }
}
