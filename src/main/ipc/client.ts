import { KeywardenError } from '../../shared/errors'
import type { Method, MethodInput, MethodOutput } from '../../shared/contract'
import type { Dispatch } from './dispatch'

type Namespace = Method extends `${infer N}.${string}` ? N : never
// A method whose every field is optional may be called without an input.
type Call<M extends Method> =
  Record<never, never> extends MethodInput<M>
    ? (input?: MethodInput<M>) => Promise<MethodOutput<M>>
    : (input: MethodInput<M>) => Promise<MethodOutput<M>>

/**
 * The contract as typed calls, grouped as the method names are (`api.keys.create({ … })`): what the
 * command line, the benchmarks and the tests use. Every call goes through `dispatch`, so its input
 * is parsed by the same schema as the window's and its output is cut the same way; a refusal
 * throws a KeywardenError with the same code and message the window would show.
 */
export type AppClient = {
  [N in Namespace]: { [M in Method as M extends `${N}.${infer V}` ? V : never]: Call<M> }
}

export function createClient(dispatch: Dispatch): AppClient {
  const groups = new Map<string, object>()
  return new Proxy({} as AppClient, {
    get(_target, group) {
      if (typeof group !== 'string' || group === 'then') return undefined
      let calls = groups.get(group)
      if (!calls) {
        calls = new Proxy(
          {},
          {
            get: (_t, name) =>
              // Not a promise: `await api.keys` must not call a method named "then".
              typeof name === 'string' && name !== 'then'
                ? async (input?: unknown) => {
                    const result = await dispatch(`${group}.${name}`, input ?? {})
                    if (result.ok) return result.data
                    throw new KeywardenError(result.error.code, result.error.message)
                  }
                : undefined
          }
        )
        groups.set(group, calls)
      }
      return calls
    }
  })
}
