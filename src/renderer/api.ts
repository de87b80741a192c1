import type { Api, BridgeApi } from '../shared/api'
import type { AppEvent, Method } from '../shared/contract'
import type { ErrorCode } from '../shared/errors'

declare global {
  interface Window {
    keywarden: BridgeApi
  }
}

/** A failure reported by the main process, with a message written for the person. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

function bridge(): BridgeApi {
  if (!window.keywarden) throw new ApiError('internal', 'Keywarden could not reach its main process. Restart the app.')
  return window.keywarden
}

/**
 * The contract's methods as plain async functions that resolve with data or throw ApiError. A
 * proxy over the bridge: the method list and the schemas stay in main and the preload, so the
 * window's bundle carries no copy of them.
 */
export const api = new Proxy({} as Api, {
  get: (_target, method: string) => async (input: unknown) => {
    const call = bridge()[method as Method] as ((i: unknown) => ReturnType<BridgeApi[Method]>) | undefined
    if (typeof call !== 'function') throw new ApiError('invalid-input', `Unknown request "${method}".`)
    const result = await call(input)
    if (result.ok) return result.data
    throw new ApiError(result.error.code, result.error.message)
  }
})

export function onEvent(listener: (event: AppEvent) => void): () => void {
  return bridge().onEvent(listener)
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
