import { KeywardenError } from '../../shared/errors'
import { redact } from '../vault/redaction'

/** JSON-RPC error codes the bridge answers with (the implementation-defined server range). */
export const bridgeErrorCodes = {
  unreachable: -32010,
  keyRejected: -32011,
  rateLimited: -32012,
  badReply: -32013,
  serverError: -32014,
  notReady: -32015,
  parseError: -32700
} as const

/** What went wrong between the bridge and the remote server, in words a person can act on. */
export interface BridgeFailure {
  code: number
  message: string
}

export interface FailureContext {
  /** "acme" at https://mcp.acme.dev: how the messages name the server. */
  server: string
  /** Why the key has no successor, when the server turned it away. */
  rejection?: string
  /** The Retry-After of the last 429, in milliseconds. */
  retryAfterMs?: number
  /** Values that must never appear in a message. */
  secrets: string[]
}

/** The HTTP status inside an SDK transport error, when there is one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code
  if (typeof code === 'number' && code >= 100 && code < 600) return code
  const match = /\(HTTP (\d{3})\)/.exec(error instanceof Error ? error.message : '')
  return match ? Number(match[1]) : undefined
}

/** Turns a failed exchange with the remote server into the MCP error the client is given. */
export function describeFailure(error: unknown, ctx: FailureContext): BridgeFailure {
  const status = statusOf(error)
  const text = error instanceof Error ? error.message : String(error)
  const network = networkReason(error)
  let failure: BridgeFailure
  // The vault or the keychain said no (binding removed, key revoked, keychain locked): as it is.
  if (error instanceof KeywardenError)
    failure = { code: error.code === 'conflict' ? bridgeErrorCodes.keyRejected : bridgeErrorCodes.notReady, message: error.message }
  else if ((status === 401 || status === 403) && ctx.rejection) failure = { code: bridgeErrorCodes.keyRejected, message: ctx.rejection }
  else if (status === 401 || status === 403)
    failure = {
      code: bridgeErrorCodes.keyRejected,
      message: `${ctx.server} refused the request (HTTP ${status}) although Keywarden sent the binding's current key. Check the key in Keywarden (Validate), then reconnect.`
    }
  else if (status === 429) {
    const wait = ctx.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(ctx.retryAfterMs / 1000)} seconds.` : ' Try again shortly.'
    failure = { code: bridgeErrorCodes.rateLimited, message: `${ctx.server} is limiting requests (HTTP 429).${wait}` }
  } else if (status !== undefined && status >= 500)
    failure = { code: bridgeErrorCodes.serverError, message: `${ctx.server} failed with HTTP ${status}. Try again later.` }
  else if (network)
    failure = {
      code: bridgeErrorCodes.unreachable,
      message: `Keywarden's bridge could not reach ${ctx.server} (${network}). Check that the server is up and reachable; the next request tries again.`
    }
  else if (error instanceof SyntaxError || (error as { name?: string })?.name === 'ZodError' || /not valid MCP/.test(text))
    failure = {
      code: bridgeErrorCodes.badReply,
      message: `${ctx.server} sent a reply that is not valid MCP (JSON-RPC), so Keywarden's bridge could not pass it on.`
    }
  else if (status !== undefined)
    failure = { code: bridgeErrorCodes.serverError, message: `${ctx.server} answered HTTP ${status}: ${text.slice(0, 200)}` }
  else
    failure = {
      code: bridgeErrorCodes.serverError,
      message: `Keywarden's bridge could not pass the request to ${ctx.server}: ${text.slice(0, 200)}`
    }
  return { code: failure.code, message: scrub(failure.message, ctx.secrets) }
}

/** Masks every known key value, and anything else that looks like a key, in outgoing text. */
export function scrub(text: string, secrets: string[]): string {
  return redact(text, { values: secrets })
}

function networkReason(error: unknown): string | undefined {
  let e: unknown = error
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') {
      const known: Record<string, string> = {
        ECONNREFUSED: 'connection refused',
        ECONNRESET: 'connection reset',
        ENOTFOUND: 'host not found',
        EAI_AGAIN: 'host not found',
        ETIMEDOUT: 'timed out',
        EHOSTUNREACH: 'host unreachable',
        UND_ERR_SOCKET: 'connection closed',
        UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
        UND_ERR_HEADERS_TIMEOUT: 'no answer in time'
      }
      if (known[code]) return known[code]
    }
    if (e instanceof TypeError && e.message === 'fetch failed' && !(e as { cause?: unknown }).cause) return 'network error'
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
