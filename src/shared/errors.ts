import { z } from 'zod'

/** Every failure that crosses a process boundary carries one of these codes. */
export const errorCodeSchema = z.enum([
  'invalid-input',
  'not-found',
  'keychain-unavailable',
  'metadata-corrupt',
  'provider-unreachable',
  'provider-rejected',
  'provider-bad-response',
  'rate-limited',
  'unauthorized',
  'conflict',
  'file-unparseable',
  'file-changed',
  'file-unwritable',
  'forbidden-sender',
  'unsupported',
  'internal'
])
export type ErrorCode = z.infer<typeof errorCodeSchema>

export const errorPayloadSchema = z.object({
  code: errorCodeSchema,
  message: z.string()
})
export type ErrorPayload = z.infer<typeof errorPayloadSchema>

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
