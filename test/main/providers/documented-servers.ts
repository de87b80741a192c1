import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { CannedResponse } from '../../support/fault-server'

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void> | void

/** A server on 127.0.0.1 that records requests and lets a test put canned faults in front of it. */
async function serve(handler: Handler) {
  const faults: CannedResponse[] = []
  const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
      const fault = faults.shift()
      if (fault?.hang) return
      if (fault?.destroy) return void req.socket.destroy()
      if (fault) {
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers })
        return void res.end(fault.body ?? '')
      }
      void Promise.resolve(handler(req, res, body)).catch(() => res.writeHead(500).end())
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** The next requests get these answers, in order, instead of the documented behaviour. */
    fail: (...f: CannedResponse[]) => void faults.push(...f),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * Lynxo as its API Keys page documents it: `GET /v1/jobs` with `Authorization: Bearer <key>`;
 * "Invalid API Key" (401) for a wrong or revoked key; a key whose custom scopes leave out jobs is
 * authenticated but refused (403).
 */
export async function startLynxo(keys: Record<string, 'read-only' | 'read-write' | 'full' | 'custom-without-jobs'>) {
  const s = await serve((req, res) => {
    if (req.method !== 'GET' || req.url !== '/v1/jobs') return json(res, 404, { message: 'Not Found' })
    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
    const scope = key ? keys[key] : undefined
    if (!scope) return json(res, 401, { message: 'Invalid API Key' })
    if (scope === 'custom-without-jobs') return json(res, 403, { message: 'Insufficient permissions: jobs:read' })
    return json(res, 200, { jobs: [] })
  })
  return { ...s, revoke: (key: string) => void delete keys[key] }
}

/**
 * A Lybic MCP server as its key page documents it: streamable HTTP that takes the key in
 * `x-api-key` and nothing else (a key sent as Authorization: Bearer is not looked at).
 */
export async function startLybicMcp(validKeys: string[]) {
  const valid = new Set(validKeys)
  const s = await serve(async (req, res, body) => {
    if (req.url !== '/mcp') return json(res, 404, { message: 'Not Found' })
    const key = req.headers['x-api-key']
    if (typeof key !== 'string' || !valid.has(key)) return json(res, 401, { message: 'Invalid API Key' })
    const server = new McpServer({ name: 'lybic-test', version: '1.0.0' })
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => {
      void transport.close()
      void server.close()
    })
    await server.connect(transport)
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined)
  })
  return { ...s, mcpUrl: `${s.url}/mcp`, revoke: (key: string) => void valid.delete(key) }
}
