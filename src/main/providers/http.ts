import pRetry, { AbortError } from 'p-retry'
import type { z } from 'zod'
import { KeywardenError, type ErrorCode } from '../../shared/errors'
import { safeDetail, type RedactOptions } from '../vault/redaction'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
  url: string
  headers?: Record<string, string>
  json?: unknown
  /** Names the service in messages ("Could not reach Lyceum …"). */
  serviceName: string
  /**
   * Whether sending it twice does no harm. GET, PUT and DELETE are; POST and PATCH are not unless
   * said so (a repeated create mints a second key; a repeated toggle flips it back). Requests that
   * are not idempotent are never repeated after a timeout, a dropped connection or a 5xx.
   */
  idempotent?: boolean
  /** The largest answer read; more is refused. Default 1 MB. */
  maxBytes?: number
}

const DEFAULT_MAX_BYTES = 1024 * 1024

export interface HttpClientOptions {
  fetch?: typeof fetch
  timeoutMs?: number
  retries?: number
  /** First backoff step; doubles per retry. */
  backoffMs?: number
  sleep?: (ms: number) => Promise<void>
  /** A Retry-After longer than this is not waited out: the caller is told how long to wait. */
  maxRetryAfterMs?: number
  /** Fingerprints of every key the vault holds: masked by value in whatever a service says. */
  fingerprints?: () => ReadonlySet<string>
  /** Credentials and session tokens the adapters hold: masked by value in every message too. */
  knownSecrets?: () => Iterable<string>
}

/** What a request carried that a service might echo back: its headers and its secret-looking fields. */
function sentSecrets(req: HttpRequest): string[] {
  const values = Object.values(req.headers ?? {})
  if (req.json && typeof req.json === 'object') {
    for (const [name, value] of Object.entries(req.json as Record<string, unknown>)) {
      if (typeof value === 'string' && /pass|token|secret|key/i.test(name)) values.push(value)
    }
  }
  return values
}

/** A refusal from the service itself, with the HTTP status it came with. */
export class ServiceError extends KeywardenError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number
  ) {
    super(code, message)
  }
}

/** No answer at all: the connection failed (refused, reset, closed by the other side). */
export class ConnectionFailed extends KeywardenError {
  constructor(message: string) {
    super('provider-unreachable', message)
  }
}

class Transient extends Error {}
class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited')
  }
}

/** Parses Retry-After as seconds or an HTTP date; a missing or odd value means one second. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (!value) return 1000
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now)
}

/**
 * HTTP for provider adapters: a timeout on every call, retries with backoff on 5xx and network
 * failures, Retry-After honoured on 429, every body parsed by a zod schema, and errors turned into
 * messages that name the service and never contain a credential.
 */
export function createHttpClient(options: HttpClientOptions = {}) {
  const doFetch = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 15_000
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  const masking = (req: HttpRequest) => ({
    values: [...sentSecrets(req), ...(options.knownSecrets?.() ?? [])],
    fingerprints: options.fingerprints?.()
  })

  const seconds = () => (timeoutMs < 1000 ? (timeoutMs / 1000).toFixed(1) : String(Math.round(timeoutMs / 1000)))
  const unreachable = (message: string) =>
    new KeywardenError('provider-unreachable', `${message}. Check your connection or that the service is running, then try again.`)

  async function send(req: HttpRequest): Promise<Response> {
    const origin = new URL(req.url).origin
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE')
    // Only idempotent requests are repeated after a failure that may have reached the service.
    const transient = (message: string) => (idempotent ? new Transient(message) : new AbortError(unreachable(message)))
    const attempt = async (): Promise<Response> => {
      let res: Response
      try {
        res = await doFetch(req.url, {
          method: req.method,
          headers: {
            accept: 'application/json',
            ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...req.headers
          },
          body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error'
        })
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError'
        if (!timedOut && !idempotent)
          throw new AbortError(new ConnectionFailed(`${unreachable(`Could not reach ${req.serviceName} at ${origin}`).message}`))
        throw transient(
          timedOut ? `${req.serviceName} did not answer within ${seconds()} s` : `Could not reach ${req.serviceName} at ${origin}`
        )
      }
      if (res.status === 429) {
        await res.body?.cancel().catch(() => undefined)
        // Refused before anything was done: safe to send again, whatever the method.
        throw new RateLimited(retryAfterMs(res.headers.get('retry-after')))
      }
      if (res.status >= 500) {
        await res.body?.cancel().catch(() => undefined)
        throw transient(`${req.serviceName} had a server error (HTTP ${res.status})`)
      }
      if (!res.ok) throw new AbortError(await clientError(res, req.serviceName, masking(req)))
      return res
    }
    try {
      return await pRetry(attempt, {
        retries: options.retries ?? 3,
        minTimeout: options.backoffMs ?? 300,
        factor: 2,
        randomize: true,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          if (error instanceof RateLimited && retriesLeft > 0) {
            if (error.waitMs > maxRetryAfterMs) throw rateLimited(req.serviceName, error.waitMs)
            await sleep(error.waitMs)
          }
        }
      })
    } catch (error) {
      if (error instanceof KeywardenError) throw error
      if (error instanceof AbortError && error.originalError instanceof KeywardenError) throw error.originalError
      if (error instanceof RateLimited) throw rateLimited(req.serviceName, error.waitMs)
      if (error instanceof Transient) throw unreachable(error.message)
      throw new KeywardenError(
        'provider-unreachable',
        `Request to ${req.serviceName} failed: ${safeDetail((error as Error).message, 200, masking(req))}`
      )
    }
  }

  const cutOff = (error: unknown, req: HttpRequest) =>
    new KeywardenError(
      'provider-unreachable',
      (error as Error)?.name === 'TimeoutError'
        ? `${req.serviceName} started answering but did not finish within ${seconds()} s. Nothing was changed; try again.`
        : `${req.serviceName}'s answer was cut off. Nothing was changed; try again.`
    )

  /** Reads the body within the request's time limit and size cap; a stalled or cut answer is the service's failure. */
  async function readBody(res: Response, req: HttpRequest): Promise<string> {
    const max = req.maxBytes ?? DEFAULT_MAX_BYTES
    const tooLarge = () =>
      new KeywardenError(
        'provider-bad-response',
        `${req.serviceName} sent an answer larger than ${Math.round(max / 1024)} KB. Nothing was changed.`
      )
    const declared = res.headers.get('content-length')
    if (Number(declared) > max) {
      await res.body?.cancel().catch(() => undefined)
      throw tooLarge()
    }
    if (!res.body) return ''
    // A declared length within the cap is enforced by fetch itself: read it in one go.
    if (declared !== null && declared !== '') return res.text().catch((error: unknown) => Promise.reject(cutOff(error, req)))
    const reader = res.body.getReader()
    const chunks: Uint8Array[] = []
    let total = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        total += value.byteLength
        if (total > max) {
          await reader.cancel().catch(() => undefined)
          throw tooLarge()
        }
        chunks.push(value)
      }
    } catch (error) {
      if (error instanceof KeywardenError) throw error
      throw cutOff(error, req)
    }
    return Buffer.concat(chunks, total).toString('utf8')
  }

  async function json(req: HttpRequest): Promise<unknown> {
    const res = await send(req)
    const text = await readBody(res, req)
    try {
      return text ? JSON.parse(text) : undefined
    } catch {
      throw new KeywardenError(
        'provider-bad-response',
        `${req.serviceName} sent a response that is not JSON. Nothing was changed; try again later.`
      )
    }
  }

  return {
    async request<T>(schema: z.ZodType<T>, req: HttpRequest): Promise<T> {
      const body = await json(req)
      const parsed = schema.safeParse(body)
      if (!parsed.success) throw unexpectedResponse(req.serviceName, parsed.error, masking(req))
      return parsed.data
    },
    /** The answer as parsed JSON, for callers that validate it themselves (a faster path for big lists). */
    json,
    /** For calls whose answer has no body worth reading (DELETE → 204). */
    async send(req: HttpRequest): Promise<void> {
      const res = await send(req)
      await res.body?.cancel().catch(() => undefined)
    }
  }
}

/** A body that does not match what the service documents, named by its first wrong field. */
export function unexpectedResponse(serviceName: string, error: z.ZodError, masking: RedactOptions = {}): KeywardenError {
  const issue = error.issues[0]
  return new KeywardenError(
    'provider-bad-response',
    `${serviceName} sent an unexpected response (${safeDetail(`${issue?.path.join('.') || 'body'}: ${issue?.message}`, 200, masking)}). Nothing was changed.`
  )
}

function rateLimited(service: string, waitMs: number): KeywardenError {
  return new KeywardenError('rate-limited', `${service} says: rate limit exceeded. Try again in ${Math.ceil(waitMs / 1000)} s.`)
}

async function clientError(res: Response, service: string, masking: RedactOptions): Promise<ServiceError> {
  let detail = ''
  try {
    if (Number(res.headers.get('content-length')) > 64 * 1024) throw new Error('too long to read')
    const text = (await res.text()).slice(0, 64 * 1024)
    const body = JSON.parse(text) as { detail?: unknown; message?: unknown; error?: unknown }
    const raw = body.detail ?? body.message ?? body.error
    // Some services echo the credential back in errors: mask first, then cut.
    if (typeof raw === 'string') detail = safeDetail(raw, 200, masking)
  } catch {
    // no readable detail
    await res.body?.cancel().catch(() => undefined)
  }
  const fail = (code: ErrorCode, message: string) => new ServiceError(code, message, res.status)
  switch (res.status) {
    case 401:
      return fail('unauthorized', detail || 'Invalid API Key')
    case 403:
      return fail('provider-rejected', `${service} refused the request${detail ? `: ${detail}` : ''}. The key may lack the permission.`)
    case 404:
      return fail('not-found', `${service} does not know that resource${detail ? ` (${detail})` : ''}; it may have been removed.`)
    case 409:
      return fail('conflict', `${service}: ${detail || 'conflict'}`)
    default:
      return fail('provider-rejected', `${service} rejected the request (HTTP ${res.status})${detail ? `: ${detail}` : ''}.`)
  }
}
