import type { IncomingMessage } from 'node:http'

/** Statuses whose Response may not carry a body. */
const NO_BODY = new Set([101, 103, 204, 205, 304])

export interface HttpFetchOptions {
  /** Serves what this fetch does not (a non-string body, redirects to follow, another scheme). */
  fallback?: typeof fetch
  /**
   * A POST answered with an event stream (a streamed reply) ended — complete, cut off or
   * cancelled: the body that POST sent, and whether the stream carried event ids (then the
   * transport can resume it). Lets the bridge answer requests whose reply never came.
   */
  onStreamEnd?: (requestBody: string, resumable: boolean) => void
  /**
   * How long a request may wait for its reply's headers, and a reply for its next bytes, before it
   * fails (the global fetch's own limits, 300 s each, by default): a server that hangs must not hold
   * a connection for the bridge's whole life.
   */
  idleTimeoutMs?: number
}

const IDLE_TIMEOUT_MS = 300_000
/** Reply encodings a server may use even unasked; decoded as the global fetch decodes them. */
const DECODERS = { gzip: 'createGunzip', 'x-gzip': 'createGunzip', deflate: 'createInflate', br: 'createBrotliDecompress' } as const

/**
 * `fetch` for the bridge's exchanges with the remote server, made with node:http on its
 * keep-alive agent: the same requests and responses as the global fetch (undici), for a fraction of
 * the work per message, which the bridge pays on every message it forwards. It serves what the
 * MCP SDK's transports send — a string body or none, redirects left to the caller
 * (`redirect: 'manual'`, which the SDK always asks for) — and hands anything else to `fallback`.
 * A failed connection rejects as the global fetch does (`TypeError('fetch failed')` with the
 * socket's error as `cause`), so errors read the same whichever fetch made the request.
 */
export function httpFetch(options: HttpFetchOptions = {}): typeof fetch {
  const fallback = options.fallback ?? globalThis.fetch
  return ((input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const url = input instanceof URL ? input : typeof input === 'string' ? URL.parse(input) : null
    const body = init.body ?? undefined
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      init.redirect !== 'manual' ||
      (body !== undefined && typeof body !== 'string')
    )
      return fallback(input, init)
    return exchange(url, init, body, options)
  }) as typeof fetch
}

function exchange(url: URL, init: RequestInit, body: string | undefined, options: HttpFetchOptions): Promise<Response> {
  const { onStreamEnd } = options
  const signal = init.signal ?? undefined
  if (signal?.aborted) return Promise.reject(signal.reason as Error)
  const method = (init.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = {}
  const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers)
  given.forEach((value, name) => (headers[name] = value))
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
  headers['accept-encoding'] ??= 'gzip, deflate, br'
  // Looked up when first used, not imported: node:http cannot be part of the runtime's startup
  // snapshot (scripts/build-runtime.mjs), and a helper that never connects does not load it.
  const { request } = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http')

  return new Promise<Response>((resolve, reject) => {
    let incoming: IncomingMessage | undefined
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined
    let ended: (() => void) | undefined
    const settle = () => {
      signal?.removeEventListener('abort', onAbort)
      stream = undefined
      ended?.()
      ended = undefined
    }
    const fail = (error: Error) => {
      if (stream) stream.error(error)
      else if (!incoming) reject(error)
      settle()
    }
    const onAbort = () => {
      const reason = signal!.reason as Error
      req.destroy()
      incoming?.destroy()
      fail(reason)
    }
    const req = request(url, { method, headers })
    req.on('error', (error) => fail(new TypeError(incoming ? 'terminated' : 'fetch failed', { cause: error })))
    // While waiting for the headers, then between the reply's bytes (a standing event stream that
    // stays quiet this long is ended, and the SDK's transport opens it again, as with the global fetch).
    req.setTimeout(options.idleTimeoutMs ?? IDLE_TIMEOUT_MS, () =>
      req.destroy(new Error(`${url.origin} sent nothing for ${Math.round((options.idleTimeoutMs ?? IDLE_TIMEOUT_MS) / 1000)} s`))
    )
    req.on('response', (res) => {
      incoming = res
      const status = res.statusCode ?? 0
      const responseHeaders = new Headers()
      const raw = res.rawHeaders
      for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!)
      const init = { status, statusText: res.statusMessage, headers: responseHeaders }
      if (NO_BODY.has(status) || method === 'HEAD') {
        res.resume()
        settle()
        return resolve(new Response(null, init))
      }
      let resumable = false
      const streamed = onStreamEnd && body !== undefined && method === 'POST' && status >= 200 && status < 300
      if (streamed && responseHeaders.get('content-type')?.toLowerCase().startsWith('text/event-stream'))
        ended = () => onStreamEnd(body, resumable)
      const encoding = responseHeaders.get('content-encoding')?.trim().toLowerCase() as keyof typeof DECODERS | undefined
      const decoder =
        encoding && Object.hasOwn(DECODERS, encoding) ? process.getBuiltinModule('node:zlib')[DECODERS[encoding]]() : undefined
      const source = decoder ? res.pipe(decoder) : res
      const readable = new ReadableStream<Uint8Array>({
        start(controller) {
          stream = controller
          decoder?.on('error', (error) => fail(new TypeError('terminated', { cause: error })))
          source.on('data', (chunk: Buffer) => {
            // An event id makes the stream resumable; looked for in the bytes, without decoding them.
            if (ended && !resumable) resumable = chunk.indexOf('\nid:') >= 0 || chunk.toString('latin1', 0, 3) === 'id:'
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
            if ((controller.desiredSize ?? 0) <= 0) source.pause()
          })
          source.on('end', () => {
            stream?.close()
            settle()
          })
          // A reply cut short reads as the global fetch's does: "terminated", the cause beneath.
          res.on('error', (error) => fail(new TypeError('terminated', { cause: error })))
          res.on('close', () => {
            // A whole reply may still be in its decoder: only one cut short fails here.
            if (stream && !res.complete)
              fail(new TypeError('terminated', { cause: new Error('the server closed the connection mid-reply') }))
          })
        },
        pull() {
          source.resume()
        },
        cancel() {
          settle()
          // A reply already read in full (a 202 to a notification, a 401's JSON) leaves its
          // connection to be used again; only a stream still running is cut.
          if (res.complete) res.resume()
          else res.destroy()
        }
      })
      resolve(new Response(readable, init))
    })
    signal?.addEventListener('abort', onAbort, { once: true })
    req.end(body)
  })
}
