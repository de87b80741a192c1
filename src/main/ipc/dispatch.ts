import type { z, ZodError } from 'zod'
import { contract, type Contract, type Method, type MethodInput } from '../../shared/contract'
import { KeywardenError, type Result } from '../../shared/errors'
import { describeIssue, issueWords, quoted } from '../../shared/input-errors'

/** A handler receives its input already parsed by the contract's schema. */
export type Handlers = {
  [M in Method]: (input: z.output<Contract[M]['input']>) => Promise<z.input<Contract[M]['output']>>
}

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>

/**
 * Turns the handler table into one function used by every transport (Electron IPC, the test
 * bridge): parse the input, run the handler, cut the output to its schema, and turn every failure
 * into a `{ code, message }` a person can act on. Nothing else crosses the boundary: no stack
 * traces, and no field the contract does not name.
 */
export function createDispatch(
  handlers: Handlers,
  log: (line: string) => void = console.error,
  /** Runs after the input is accepted and before the handler: starts what the method needs. */
  prepare?: (method: Method) => Promise<void> | undefined,
  /**
   * Whether an answer is already exactly its schema's output: the vault's record lists and the
   * journal's history were parsed by the same schemas when read (or carry the seal of a write that
   * was), so cutting 10,000 keys again would change nothing.
   */
  alreadyCut: (data: unknown) => boolean = () => false
): Dispatch {
  return async (method, input) => {
    if (typeof method !== 'string' || !Object.hasOwn(contract, method)) {
      return fail('invalid-input', `Unknown request ${quoted(method)}.`)
    }
    const m = method as Method
    const spec = contract[m]
    const parsed = spec.input.safeParse(input ?? {}, { error: issueWords })
    if (!parsed.success) {
      return fail('invalid-input', describeZodError(parsed.error))
    }
    try {
      await prepare?.(m)
      const handler = handlers[m] as (i: unknown) => Promise<unknown>
      const answer = await handler(parsed.data)
      const data = alreadyCut(answer) ? answer : spec.output.parse(answer)
      return { ok: true, data }
    } catch (error) {
      if (error instanceof KeywardenError) return { ok: false, error: error.toPayload() }
      // Unexpected: keep the detail in the main-process log, give the window a plain message.
      log(`[keywarden] ${m} failed: ${error instanceof Error ? error.message : String(error)}`)
      return fail('internal', 'Something went wrong inside Keywarden. Try again; if it keeps happening, restart the app.')
    }
  }
}

function fail(code: KeywardenError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

/** The first problem with an input, in words a person understands. */
export function describeZodError(error: ZodError): string {
  return describeIssue(error.issues[0])
}

export type { MethodInput }
