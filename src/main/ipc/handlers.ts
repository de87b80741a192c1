import type { AppContext } from '../app-context'
import type { Handlers } from './dispatch'
import { openExternal } from '../shell/open-external'

/** The contract's methods, each mapped onto the services that do the work. */
export function createHandlers(ctx: AppContext): Handlers {
  const { keys, sync } = ctx
  return {
    'app.status': () => ctx.status(),
    'app.openExternal': async ({ url }) => {
      await openExternal(url, ctx.openUrl ?? (async () => {}))
      return { ok: true as const }
    },
    'providers.list': async () => ctx.store.read().providers,
    'keys.list': async () => keys.list(),
    'keys.sync': ({ providerId }) => sync.sync(providerId),
    'keys.create': (input) => keys.create(input),
    'keys.revoke': ({ keyId }) => keys.revoke(keyId),
    'keys.setActive': ({ keyId, active }) => keys.setActive(keyId, active),
    'keys.validate': ({ keyId }) => keys.validate(keyId),
    'keys.copy': ({ keyId }) => keys.copy(keyId),
    'keys.reveal': ({ keyId }) => keys.reveal(keyId),
    'keys.forget': ({ keyId }) => keys.forget(keyId)
  }
}
