import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js'
import { statusOf } from './bridge-errors'

/** The connection to the remote server: Streamable HTTP, or the legacy HTTP+SSE transport. */
export interface Upstream {
  kind: 'streamable-http' | 'sse'
  transport: Transport & { setProtocolVersion?(version: string): void; terminateSession?(): Promise<void> }
  /** Whether the server gave this connection a session (a 404 then means the session is gone). */
  hasSession(): boolean
}

export interface UpstreamHandlers {
  onmessage(message: JSONRPCMessage): void
  onerror(error: Error): void
}

/**
 * Opens a connection by sending the client's `initialize`. As the MCP specification's
 * backwards-compatibility section describes, a 4xx answer to that POST (other than an
 * authentication or rate-limit answer) means the server predates Streamable HTTP: the bridge then
 * opens the legacy SSE stream on the same URL and sends `initialize` through it.
 */
export async function openUpstream(url: URL, fetch: typeof globalThis.fetch, initialize: JSONRPCRequest, handlers: UpstreamHandlers) {
  const streamable = new StreamableHTTPClientTransport(url, { fetch })
  attach(streamable, handlers)
  await streamable.start()
  try {
    await streamable.send(initialize)
    return { kind: 'streamable-http', transport: streamable, hasSession: () => Boolean(streamable.sessionId) } satisfies Upstream
  } catch (error) {
    if (!isLegacyHint(error)) throw error
    detach(streamable)
    await streamable.close().catch(() => undefined)
  }
  const legacy = new SSEClientTransport(url, { fetch })
  attach(legacy, handlers)
  try {
    await legacy.start()
    await legacy.send(initialize)
  } catch (error) {
    detach(legacy)
    await legacy.close().catch(() => undefined)
    throw error
  }
  return { kind: 'sse', transport: legacy, hasSession: () => true } satisfies Upstream
}

/** Closes a connection without its events reaching the relay any more. */
export async function closeUpstream(upstream: Upstream, options: { endSession?: boolean } = {}): Promise<void> {
  detach(upstream.transport)
  if (options.endSession && upstream.hasSession())
    await withTimeout(upstream.transport.terminateSession?.() ?? Promise.resolve(), 1_000).catch(() => undefined)
  await upstream.transport.close().catch(() => undefined)
}

function isLegacyHint(error: unknown): boolean {
  const status = statusOf(error)
  return status !== undefined && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status)
}

function attach(transport: Transport, handlers: UpstreamHandlers) {
  transport.onmessage = (message) => handlers.onmessage(message)
  transport.onerror = (error) => handlers.onerror(error)
}

function detach(transport: Transport) {
  transport.onmessage = undefined
  transport.onerror = undefined
  transport.onclose = undefined
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms)
    promise.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}
