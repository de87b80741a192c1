import type { KeySource } from './key-source'

export interface KeyedFetchOptions {
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  /** A 429 asking to wait at most this long is waited out and sent once more. */
  maxRetryAfterMs?: number
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
    const headers = new Headers(init?.headers)
    const send = () => {
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
    return response
  }) as typeof fetch
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
