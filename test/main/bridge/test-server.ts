import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'

/** What the next `tools/call` requests get instead of the MCP answer (each used once, in order). */
export type Fault =
  { status: number; headers?: Record<string, string>; body?: string } | { malformed: 'json' | 'sse' } | { delayMs: number } | 'drop'

export interface ServerOptions {
  /** 'sse-only': the legacy HTTP+SSE transport (POST /mcp is refused with 405, as old servers do). */
  mode?: 'streamable' | 'sse-only'
  /** Streamable HTTP answers as one JSON body instead of an SSE stream. */
  json?: boolean
  keys: string[]
  header?: string
}

/**
 * A remote MCP server for the bridge's tests, with what the sandbox does not have: sessions tied
 * to the key they were opened with (a request with another key is answered 404, as a lost session
 * is), the legacy SSE transport, server-to-client requests, progress, and faults on demand. Every
 * request's auth header is recorded.
 */
export async function startTestServer(options: ServerOptions) {
  const accepted = new Set(options.keys)
  const headerName = (options.header ?? 'authorization').toLowerCase()
  const faults: Fault[] = []
  const seen: Array<{ method: string; url: string; key: string; session?: string; rpc?: string }> = []
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport | SSEServerTransport; key: string }>()
  let initializes = 0
  let mode = options.mode ?? 'streamable'

  const keyOf = (req: IncomingMessage) => String(req.headers[headerName] ?? '').replace(/^Bearer\s+/i, '')

  function mcpServer(key: string) {
    const server = new McpServer({ name: 'bridge-test-server', version: '1.0.0' })
    server.registerTool('whoami', { description: 'Which key this session came in with.' }, async () => ({
      content: [{ type: 'text', text: `key ${key.slice(0, 8)}` }]
    }))
    server.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }]
    }))
    server.registerTool('slow', { description: 'Answers after a while.', inputSchema: { ms: z.number() } }, async ({ ms }) => {
      await new Promise((r) => setTimeout(r, ms))
      return { content: [{ type: 'text', text: `slept ${ms}` }] }
    })
    server.registerTool('count', { description: 'Reports progress.', inputSchema: { to: z.number() } }, async ({ to }, extra) => {
      for (let i = 1; i <= to; i++) {
        const token = extra._meta?.progressToken
        if (token !== undefined)
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: to } })
      }
      return { content: [{ type: 'text', text: `counted ${to}` }] }
    })
    server.registerTool('roots', { description: 'Asks the client for its roots.' }, async () => {
      const roots = await server.server.listRoots()
      return { content: [{ type: 'text', text: JSON.stringify(roots.roots) }] }
    })
    return server
  }

  async function body(req: IncomingMessage): Promise<unknown> {
    let text = ''
    for await (const chunk of req) text += chunk
    return text ? JSON.parse(text) : undefined
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const key = keyOf(req)
    const url = new URL(req.url ?? '/', 'http://x')
    const session = (req.headers['mcp-session-id'] as string | undefined) ?? url.searchParams.get('sessionId') ?? undefined
    const record = { method: req.method ?? '', url: url.pathname, key, session, rpc: undefined as string | undefined }
    seen.push(record)
    const parsed = req.method === 'POST' ? await body(req).catch(() => undefined) : undefined
    record.rpc = (parsed as { method?: string } | undefined)?.method
    const fault = record.rpc === 'tools/call' ? faults.shift() : undefined
    if (fault === 'drop') return void req.socket.destroy()
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs))
    else if (fault && 'status' in fault) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
      return void res.end(fault.body ?? '{"error":"injected"}')
    } else if (fault && 'malformed' in fault) {
      const id = (parsed as { id?: unknown } | undefined)?.id ?? 0
      if (fault.malformed === 'json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end('{"jsonrpc":"2.0","id":' + JSON.stringify(id) + ',"result":')
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      return void res.end(`event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result"\n\n`)
    }
    if (!accepted.has(key)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
      return void res.end('{"error":"invalid key"}')
    }
    if (mode === 'sse-only') return legacy(req, res, url, key, session, parsed)
    if (url.pathname !== '/mcp') return void res.writeHead(404).end()
    const known = session ? sessions.get(session) : undefined
    if (session && (!known || known.key !== key)) {
      res.writeHead(404, { 'content-type': 'application/json' })
      return void res.end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}')
    }
    if (known) return (known.transport as StreamableHTTPServerTransport).handleRequest(req, res, parsed)
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.json ?? false,
      onsessioninitialized: (id) => void sessions.set(id, { transport, key })
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    initializes++
    await mcpServer(key).connect(transport)
    await transport.handleRequest(req, res, parsed)
  }

  async function legacy(req: IncomingMessage, res: ServerResponse, url: URL, key: string, session: string | undefined, parsed: unknown) {
    if (url.pathname === '/mcp' && req.method === 'GET') {
      const transport = new SSEServerTransport('/messages', res)
      sessions.set(transport.sessionId, { transport, key })
      res.on('close', () => sessions.delete(transport.sessionId))
      initializes++
      return void (await mcpServer(key).connect(transport))
    }
    if (url.pathname === '/messages' && req.method === 'POST') {
      const known = session ? sessions.get(session) : undefined
      if (!known || known.key !== key) return void res.writeHead(404).end('unknown session')
      return (known.transport as SSEServerTransport).handlePostMessage(req, res, parsed)
    }
    res.writeHead(405, { allow: 'GET' }).end()
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  const port = (http.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    initializes: () => initializes,
    accept: (key: string) => void accepted.add(key),
    revoke: (key: string) => void accepted.delete(key),
    fail: (...more: Fault[]) => void faults.push(...more),
    /** Forgets every session, as a restarted server does. */
    dropSessions: () => sessions.clear(),
    /** From now on only the legacy HTTP+SSE transport (a server that never learnt Streamable HTTP). */
    legacyOnly: () => void (mode = 'sse-only'),
    /** Stops listening (connections refused) until `up`. */
    down: () =>
      new Promise<void>((r) => {
        http.closeAllConnections()
        http.close(() => r())
      }),
    up: () => new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r())),
    close: () =>
      new Promise<void>((r) => {
        http.closeAllConnections()
        http.close(() => r())
      })
  }
}
