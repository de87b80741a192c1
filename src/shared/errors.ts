/** Every failure that crosses a process boundary carries one of these codes. */
export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'keychain-unavailable'
  | 'metadata-corrupt'
  | 'provider-unreachable'
  | 'provider-rejected'
  | 'provider-bad-response'
  | 'rate-limited'
  | 'unauthorized'
  | 'conflict'
  | 'file-unparseable'
  | 'file-changed'
  | 'file-unwritable'
  | 'forbidden-sender'
  | 'unsupported'
  | 'internal'

export interface ErrorPayload {
  code: ErrorCode
  message: string
}

/** An error with a code and a message written for the person using the app. */
export class KeywardenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'KeywardenError'
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message }
  }
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload }
