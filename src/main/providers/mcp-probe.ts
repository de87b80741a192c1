import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { redact } from '../vault/redaction'
import { bareKey } from '../mcp-config/server-entry'
import type { ValidationResult } from './adapter'

/**
 * What an MCP server said about a key. Only an explicit 401/403 means "rejected": a 5xx, a 429, a
 * timeout or a refused connection says nothing about the key, and a rotation must not act on it.
 */
export interface ProbeResult extends ValidationResult {
  outcome: 'accepted' | 'rejected' | 'unreachable'
}

/** Reads a probe outcome from any validation result (a plain adapter check is accepted or rejected). */
export function outcomeOf(result: ValidationResult): ProbeResult['outcome'] {
  const outcome = (result as Partial<ProbeResult>).outcome
  return outcome ?? (result.valid ? 'accepted' : 'rejected')
}

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
}): Promise<ProbeResult> {
  const doFetch = options.fetch ?? fetch
  let denied: number | undefined
  // The status is read from the responses themselves: the SDK's error texts are not a contract.
  const watched = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const res = await doFetch(input, init)
    if (res.status === 401 || res.status === 403) denied = res.status
    return res
  }) as typeof fetch
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers: { [options.header.name]: options.header.value } },
    fetch: watched
  })
  const client = new Client({ name: 'keywarden', version: '1' })
  const timeout = options.timeoutMs ?? 10_000
  try {
    await client.connect(transport, { timeout })
    const server = client.getServerVersion()
    return {
      valid: true,
      outcome: 'accepted',
      message: `${options.serviceName}'s MCP server accepted the key${server?.name ? ` (${server.name})` : ''}.`
    }
  } catch (error) {
    if (denied)
      return { valid: false, outcome: 'rejected', message: `${options.serviceName}'s MCP server rejected the key (HTTP ${denied}).` }
    const text = redact(error instanceof Error ? error.message : String(error), {
      values: [bareKey(options.header.value), options.header.value]
    })
    return {
      valid: false,
      outcome: 'unreachable',
      message: `Could not check the key with ${options.serviceName}'s MCP server at ${new URL(options.url).origin}: ${text.slice(0, 200)}`
    }
  } finally {
    await client.close().catch(() => undefined)
  }
}
