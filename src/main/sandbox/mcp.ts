import type { IncomingMessage, ServerResponse } from 'node:http'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { SandboxKey } from './store'

/**
 * The sandbox's MCP endpoint (streamable HTTP, stateless): a fresh server per request, reached only
 * after the caller's key was checked, with one tool that says which key it came in with.
 */
export async function handleMcp(req: IncomingMessage, res: ServerResponse, body: unknown, key: SandboxKey): Promise<void> {
  const server = new McpServer({ name: 'keywarden-sandbox', version: '1.0.0' })
  server.registerTool('whoami', { description: 'Names the API key this connection authenticated with.' }, async () => ({
    content: [{ type: 'text', text: `Connected with key "${key.name}" (${key.prefix}…).` }]
  }))
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  res.on('close', () => {
    void transport.close()
    void server.close()
  })
  await server.connect(transport)
  await transport.handleRequest(req, res, body)
}
