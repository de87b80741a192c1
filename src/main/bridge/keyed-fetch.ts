import type { KeySource } from './key-source'

export interface KeyedFetchOptions {
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  /** A 429 asking to wait at most this long is waited out and sent once more. */
  maxRetryAfterMs?: number
  /**
   * A streamed (SSE) answer to a POST ended: which request ids that POST carried, and whether the
   * stream can be resumed (it carried event ids). Lets the bridge answer requests whose reply never
   * came, instead of leaving the client waiting.
   */
  onStreamEnd?: (requestIds: Array<string | number>, resumable: boolean) => void
}

/**
 * The fetch every request to the remote server goes through: it adds the binding's header, and
 * when the server rejects the key (401/403) it reads the binding's current key again and, if a
 * rotation put a new one there, sends the same request once more with it. A 429 with a short
 * Retry-After is waited out once. The request body is always a string here, so repeating is safe.
 */
export function keyedFetch(source: KeySource, options: KeyedFetchOptions = {}): typeof fetch {
  const doFetch = options.fetch ?? fetch
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const maxWait = options.maxRetryAfterMs ?? 5_000

  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    let key = await source.current()
    const send = () => {
      const headers = new Headers(init?.headers)
      headers.set(key.header.name, key.header.value)
      return doFetch(input, { ...init, headers })
    }
    let response = await send()
    if (response.status === 401 || response.status === 403) {
      const fresh = await source.refresh(key)
      if (fresh) {
        await response.body?.cancel().catch(() => undefined)
        key = fresh
        response = await send()
      }
    }
    if (response.status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after'))
      if (wait !== undefined && wait <= maxWait) {
        await response.body?.cancel().catch(() => undefined)
        await sleep(wait)
        response = await send()
      }
    }
    return options.onStreamEnd ? watchStream(response, init, options.onStreamEnd) : response
  }) as typeof fetch
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function watchStream(
  response: Response,
  init: Parameters<typeof fetch>[1],
  onEnd: NonNullable<KeyedFetchOptions['onStreamEnd']>
): Response {
  if (init?.method !== 'POST' || !response.ok || !response.body) return response
  if (!response.headers.get('content-type')?.toLowerCase().startsWith('text/event-stream')) return response
  const ids = requestIds(init.body)
  if (ids.length === 0) return response
  const reader = response.body.getReader()
  let resumable = false
  let ended = false
  const end = () => {
    if (!ended) {
      ended = true
      onEnd(ids, resumable)
    }
  }
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          controller.close()
          return end()
        }
        // An event id makes the stream resumable; looked for in the bytes, without decoding them.
        if (!resumable) {
          const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
          resumable = bytes.indexOf('\nid:') >= 0 || bytes.subarray(0, 3).toString('latin1') === 'id:'
        }
        controller.enqueue(value)
      } catch (error) {
        controller.error(error)
        end()
      }
    },
    cancel(reason) {
      end()
      return reader.cancel(reason)
    }
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

function requestIds(body: unknown): Array<string | number> {
  if (typeof body !== 'string') return []
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
