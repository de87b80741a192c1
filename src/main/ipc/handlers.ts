import type { AppContext } from '../app-context'
import type { Handlers } from './dispatch'
import { openExternal } from '../shell/open-external'
import { providerCatalog } from '../providers/catalog'
import { importKey, recognise } from '../keys/import'
import { dueKeys } from '../rotation/policy'

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
    'providers.catalog': async () => Object.values(providerCatalog).map(({ keyPattern: _p, checkPath: _c, header: _h, ...info }) => info),
    'providers.test': (input) => ctx.providers.test(input),
    'providers.connect': (input) => ctx.providers.connect(input, { check: true }),
    'providers.remove': ({ providerId }) => ctx.providers.remove(providerId),
    'providers.exportCustom': async ({ providerId }) => ctx.providers.exportCustom(providerId),
    'providers.importCustom': async ({ json, email, password, apiKey }) => {
      const custom = ctx.providers.parseCustom(json)
      return ctx.providers.connect({ kind: 'custom', name: custom.name, custom, email, password, apiKey })
    },
    'providers.update': (input) => ctx.providers.update(input),
    'providers.parseCustom': async ({ json }) => ctx.providers.parseCustom(json),
    'keys.recognise': async ({ value }) => recognise(value, ctx.store.read().providers),
    'keys.import': (input) => importKey(input, ctx),
    'keys.list': async () => keys.list(),
    'keys.sync': ({ providerId }) => sync.sync(providerId),
    'keys.create': (input) => keys.create(input),
    'keys.revoke': ({ keyId }) => keys.revoke(keyId),
    'keys.setActive': ({ keyId, active }) => keys.setActive(keyId, active),
    'keys.validate': ({ keyId }) => keys.validate(keyId),
    'keys.due': async () =>
      dueKeys(ctx.store.read().keys, ctx.store.read().providers, ctx.store.read().settings.rotationDays, (ctx.now ?? (() => new Date()))()),
    'rotations.list': async () => ctx.rotation.list(),
    'rotations.plan': async ({ keyId }) => ctx.rotation.plan(keyId),
    'rotations.start': ({ keyId }) => ctx.rotation.start(keyId),
    'rotations.resume': ({ rotationId }) => ctx.rotation.resume(rotationId),
    'rotations.rollback': ({ rotationId, keepNewKey }) => ctx.rotation.rollback(rotationId, { keepNewKey }),
    'rotations.provideNewKey': ({ rotationId, value }) => ctx.rotation.provideNewKey(rotationId, value),
    'rotations.confirmRevoked': ({ rotationId }) => ctx.rotation.confirmRevoked(rotationId),
    'rotations.confirmEntered': ({ rotationId }) => ctx.rotation.confirmEntered(rotationId),
    'clients.scan': ({ projectPaths }) => ctx.bindings.scan(projectPaths),
    'clients.list': () => ctx.bindings.clients(),
    'bindings.list': async () => ctx.bindings.list(),
    'bindings.preview': (input) => ctx.bindings.preview(input),
    'bindings.checkName': (input) => ctx.bindings.checkName(input),
    'bindings.apply': ({ planId }) => ctx.bindings.apply(planId),
    'bindings.remove': ({ bindingId }) => ctx.bindings.remove(bindingId),
    'bindings.adopt': (input) => ctx.bindings.adopt(input),
    'bindings.importFound': (input) => ctx.bindings.importFound(input, async (value, name) => (await importKey({ value, name }, ctx)).key),
    'providers.setRotationDays': ({ providerId, days }) => ctx.providers.setRotationDays(providerId, days),
    'changes.list': () => ctx.bindings.changes(),
    'changes.undo': ({ changeId }) => ctx.bindings.undo(changeId),
    'keys.copy': ({ keyId }) => keys.copy(keyId),
    'keys.reveal': ({ keyId }) => keys.reveal(keyId),
    'keys.forget': ({ keyId }) => keys.forget(keyId),
    'keys.update': ({ keyId, ...change }) => keys.update(keyId, change),
    'settings.get': () => ctx.settings.get(),
    'app.pickFolder': async () => ({ path: await ctx.pickFolder?.() }),
    'bindings.previewMove': ({ bindingId }) => ctx.bindings.previewMove(bindingId),
    'clients.testServer': (input) => ctx.testServer(input),
    'settings.update': (patch) => ctx.settings.update(patch)
  }
}
