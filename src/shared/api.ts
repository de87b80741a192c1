import type { Result } from './errors'
import type { AppEvent, Contract, Method, MethodInput, MethodOutput } from './contract'

/** What the preload exposes on `window.keywarden`: each method answers with a Result envelope. */
export type BridgeApi = {
  [M in Method]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>
} & {
  onEvent(listener: (event: AppEvent) => void): () => void
}

/** The renderer's view: each method resolves with its data or throws a KeywardenError. */
export type Api = {
  [M in Method]: (input: MethodInput<M>) => Promise<MethodOutput<M>>
}

export type { AppEvent, Contract }
