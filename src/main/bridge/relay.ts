import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js'
import { bridgeErrorCodes, describeFailure, scrub, statusOf, type BridgeFailure } from './bridge-errors'
import type { KeySource } from './key-source'
import { closeUpstream, type Upstream, type UpstreamHandlers } from './upstream'

type Id = string | number

export interface RelayDeps {
  /** The MCP client, over stdio. */
  client: Transport
  /** Opens a connection to the remote server by sending this `initialize`. */
  open(initialize: JSONRPCRequest, handlers: UpstreamHandlers): Promise<Upstream>
  keys: KeySource
  /** How messages name the server: "acme (https://mcp.acme.dev)". */
  server: () => string
  /** The Retry-After of the last 429 the server sent. */
  retryAfterMs: () => number | undefined
  /** Diagnostics for the client's log (stderr); already scrubbed of keys. */
  log(line: string): void
}

/**
 * A diagnostic as one short line: a schema library's report (a multi-line list of issues) says
 * only that the message was not valid JSON-RPC.
 */
const oneLine = (text: string) =>
  (/^\s*\[\s*\{/.test(text) ? 'the message is not valid JSON-RPC' : text.replace(/\s+/g, ' ').trim()).slice(0, 200)

const isRequest = (m: JSONRPCMessage): m is JSONRPCRequest => 'method' in m && 'id' in m && m.id !== undefined
const isResponse = (m: JSONRPCMessage): m is Extract<JSONRPCMessage, { id: Id }> & ({ result: unknown } | { error: unknown }) =>
  !('method' in m) && ('result' in m || 'error' in m)

/**
 * Forwards every JSON-RPC message between the client and the remote server, both ways, as it is:
 * requests, responses, notifications, the server's own requests, progress and cancellation. It
 * keeps the client's `initialize` so that, when the server has lost the session (or a rotation
 * changed the key the session was opened with), it can open a new one on the client's behalf and
 * send the failed message once more: the client never notices.
 */
export function startRelay(deps: RelayDeps) {
  const pending = new Map<Id, JSONRPCRequest>()
  /** Replies the bridge waits for itself (a replayed `initialize`), by request id. */
  const internal = new Map<Id, (message: JSONRPCMessage) => void>()
  /** Requests whose streamed reply was cut off but can be resumed by the transport. */
  const resuming = new Set<Id>()
  let initialize: JSONRPCRequest | undefined
  let initializedSent = false
  let upstream: Promise<Upstream> | undefined
  let reopening: Promise<Upstream> | undefined
  let replays = 0
  let closed = false

  // SDK clients handle a notification a tick later than a response, so a reply that reaches them in
  // the same read as the request's last progress notifications overtakes them. A reply written
  // right after notifications waits a moment, to arrive in a read of its own.
  let notifiedAt = 0
  /** Replies held back that way, so that closing still delivers them. */
  const held = new Set<Promise<void>>()
  /** Wakes a close that waits for the replies still owed. */
  let answered: (() => void) | undefined
  const toClient = (message: JSONRPCMessage) => {
    if (closed) return
    const notification = 'method' in message && !('id' in message)
    const wait = notifiedAt + 5 - performance.now()
    if (notification) notifiedAt = performance.now()
    else if (wait > 0) {
      const later: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() => {
        held.delete(later)
        toClient(message)
      })
      held.add(later)
      return
    }
    deps.client.send(message).catch(() => undefined)
    if (!notification && pending.size === 0) answered?.()
  }
  const fail = (request: JSONRPCRequest, failure: BridgeFailure) => {
    if (!pending.delete(request.id)) return
    resuming.delete(request.id)
    toClient({ jsonrpc: '2.0', id: request.id, error: { code: failure.code, message: failure.message } })
  }
  const failWith = (request: JSONRPCRequest, error: unknown) => {
    const failure = describe(error)
    deps.log(`${request.method} failed: ${failure.message}`)
    fail(request, failure)
  }
  const describe = (error: unknown) =>
    describeFailure(error, {
      server: deps.server(),
      rejection: deps.keys.rejection,
      retryAfterMs: deps.retryAfterMs(),
      secrets: deps.keys.secrets
    })

  const handlers: UpstreamHandlers = {
    onmessage(message) {
      if (isResponse(message) && internal.has(message.id)) {
        internal.get(message.id)!(message)
        return
      }
      if (isResponse(message)) {
        const request = pending.get(message.id)
        pending.delete(message.id)
        resuming.delete(message.id)
        if (request?.method === 'initialize' && 'result' in message) void protocolFrom(message.result)
      }
      toClient(message)
    },
    onerror(error) {
      if (closed) return
      // Failures of a send are answered where the send is awaited; this is the server's own stream.
      deps.log(oneLine(scrub(error.message, deps.keys.secrets)))
      if (/Maximum reconnection attempts/.test(error.message))
        for (const id of [...resuming]) {
          const request = pending.get(id)
          if (request)
            fail(request, { code: bridgeErrorCodes.unreachable, message: `${deps.server()} dropped the reply and did not resume it.` })
        }
    }
  }

  async function protocolFrom(result: unknown) {
    const version = (result as { protocolVersion?: unknown })?.protocolVersion
    if (typeof version === 'string') (await upstream)?.transport.setProtocolVersion?.(version)
  }

  /** A new session for the client, opened with its own `initialize` (under an id of the bridge's). */
  function reopen(lost: Upstream): Promise<Upstream> {
    reopening ??= (async () => {
      await closeUpstream(lost)
      const id = `keywarden-bridge-replay-${++replays}`
      const reply = new Promise<JSONRPCMessage>((resolve, reject) => {
        internal.set(id, resolve)
        setTimeout(() => reject(new Error('The server did not answer the repeated initialize in time.')), 30_000).unref()
      }).finally(() => internal.delete(id))
      const next = deps.open({ ...initialize!, id }, handlers)
      const answer = await Promise.all([next, reply]).then(([, message]) => message)
      if ('error' in answer) throw Object.assign(new Error(String((answer.error as { message?: unknown }).message)), { code: 0 })
      const fresh = await next
      const version = (answer as { result?: { protocolVersion?: unknown } }).result?.protocolVersion
      if (typeof version === 'string') fresh.transport.setProtocolVersion?.(version)
      if (initializedSent) await fresh.transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' })
      deps.log(`opened a new session with ${deps.server()} for the client`)
      upstream = Promise.resolve(fresh)
      return fresh
    })().finally(() => {
      reopening = undefined
    })
    return reopening
  }

  /** The server no longer knows the session, or refuses it although the key is current. */
  const sessionLost = (error: unknown, up: Upstream) => {
    const status = statusOf(error)
    return up.hasSession() && (status === 404 || ((status === 401 || status === 403) && !deps.keys.rejection))
  }

  async function forward(message: JSONRPCMessage): Promise<void> {
    if (!upstream) {
      if (isRequest(message))
        fail(message, { code: bridgeErrorCodes.notReady, message: 'The client must send initialize before anything else.' })
      return
    }
    let up: Upstream
    try {
      up = await upstream
    } catch (error) {
      // The connection could not be opened: every request gets the reason, the next initialize tries again.
      if (isRequest(message)) failWith(message, error)
      return
    }
    try {
      await up.transport.send(message)
    } catch (error) {
      if (initialize && sessionLost(error, up)) {
        try {
          const fresh = await reopen(up)
          await fresh.transport.send(message)
          return
        } catch (second) {
          if (isRequest(message)) failWith(message, second)
          else deps.log(`could not deliver ${'method' in message ? message.method : 'a reply'}: ${describe(second).message}`)
          return
        }
      }
      if (isRequest(message)) failWith(message, error)
      else deps.log(`could not deliver ${'method' in message ? message.method : 'a reply'}: ${describe(error).message}`)
    }
  }

  deps.client.onmessage = (message) => {
    if (isRequest(message)) pending.set(message.id, message)
    if (isRequest(message) && message.method === 'initialize') {
      initialize = message
      initializedSent = false
      const previous = upstream
      const opening = (async () => {
        const old = await previous?.catch(() => undefined)
        if (old) await closeUpstream(old, { endSession: true })
        return deps.open(message, handlers)
      })()
      upstream = opening
      opening.catch((error: unknown) => failWith(message, error))
      return
    }
    if ('method' in message && message.method === 'notifications/initialized') initializedSent = true
    // A request the client gave up on gets no reply it would read: it is no longer waited for.
    if ('method' in message && message.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: unknown } | undefined)?.requestId
      if (typeof id === 'string' || typeof id === 'number') pending.delete(id)
    }
    void forward(message)
  }
  deps.client.onerror = (error) => {
    // A line the client sent that is not JSON-RPC: JSON-RPC answers it with a parse error and no id.
    deps.log(`the client sent a message that is not JSON-RPC: ${oneLine(scrub(error.message, deps.keys.secrets))}`)
    // (No id: the SDK's clients accept an error without one, and refuse `"id": null`.)
    toClient({
      jsonrpc: '2.0',
      error: { code: bridgeErrorCodes.parseError, message: "Keywarden's bridge could not read a message from the client (not JSON-RPC)." }
    } as JSONRPCMessage)
  }

  return {
    /**
     * A streamed reply to the POST that sent `requestBody` ended: requests it carried that got no
     * answer are answered with an error (or left to the transport to resume, when it can).
     */
    streamEnded(requestBody: string, resumable: boolean) {
      setTimeout(() => {
        // The usual case: every reply has arrived, and the body need not be read again.
        if (pending.size === 0) return
        for (const id of requestIds(requestBody)) {
          if (internal.has(id)) continue
          const request = pending.get(id)
          if (!request) continue
          if (resumable) resuming.add(id)
          else
            fail(request, {
              code: bridgeErrorCodes.badReply,
              message: `${deps.server()} ended its reply to ${request.method} without a valid answer.`
            })
        }
      }, 100).unref()
    },
    /**
     * Ends the session with the server (best effort) and stops forwarding. Requests the client sent
     * before closing its input are answered first — for up to `drainMs`, then with an error — so a
     * script that writes its requests and closes still reads every reply.
     */
    async close(options: { drainMs?: number } = {}): Promise<void> {
      if (pending.size > 0 && options.drainMs) {
        await new Promise<void>((resolve) => {
          answered = resolve
          setTimeout(resolve, options.drainMs).unref()
        })
        for (const request of [...pending.values()])
          fail(request, {
            code: bridgeErrorCodes.unreachable,
            message: `${deps.server()} did not answer ${request.method} before the client closed its input.`
          })
      }
      await Promise.all([...held])
      closed = true
      const up = await Promise.race([upstream?.catch(() => undefined), new Promise<undefined>((r) => void setTimeout(r, 200))])
      if (up) await closeUpstream(up, { endSession: true })
    }
  }
}

/** The ids of the requests in a POST body (one JSON-RPC message or a batch). */
function requestIds(body: string): Id[] {
  try {
    const parsed = JSON.parse(body) as unknown
    const messages = Array.isArray(parsed) ? parsed : [parsed]
    return messages.flatMap((m: { id?: unknown; method?: unknown }) =>
      typeof m?.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number') ? [m.id] : []
    )
  } catch {
    return []
  }
}
