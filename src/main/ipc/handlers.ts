import type { Method } from '../../shared/contract'
import type { Services } from '../app/services'
import type { Handlers } from './dispatch'

/**
 * The contract's methods, each one line onto the services: the logic lives in the services, so the
 * window, the command line and the tests reach the same code through the same checks.
 */
export function createHandlers(s: Services): Handlers {
  return {
    'app.status': () => s.status(),
    'app.openExternal': async ({ url }) => (await s.openExternal(url), { ok: true as const }),
    'providers.list': async () => s.vault.providers.list(),
    'providers.catalog': async () => s.catalog(),
    'providers.test': (input) => s.providers.test(input),
    'providers.connect': (input) => s.providers.connect(input, { check: true }),
    'providers.remove': ({ providerId }) => s.providers.remove(providerId),
    'providers.update': (input) => s.providers.update(input),
    'providers.exportCustom': async ({ providerId }) => s.providers.exportCustom(providerId),
    'providers.importCustom': (input) => s.providers.importCustom(input),
    'providers.parseCustom': async ({ json }) => s.providers.parseCustom(json),
    'providers.setRotationDays': ({ providerId, days }) => s.providers.setRotationDays(providerId, days),
    'keys.recognise': async ({ value }) => s.recognise(value),
    'keys.import': (input) => s.importKey(input),
    'keys.list': async () => s.vault.keys.list(),
    'keys.sync': ({ providerId }) => s.sync.sync(providerId),
    'keys.create': (input) => s.keys.create(input),
    'keys.revoke': ({ keyId }) => s.keys.revoke(keyId),
    'keys.setActive': ({ keyId, active }) => s.keys.setActive(keyId, active),
    'keys.validate': ({ keyId }) => s.keys.validate(keyId),
    'keys.due': async () => s.dueKeys(),
    'keys.copy': ({ keyId }) => s.keys.copy(keyId),
    'keys.reveal': ({ keyId }) => s.keys.reveal(keyId),
    'keys.forget': ({ keyId, ...options }) => s.keyRemoval.remove(keyId, options),
    'keys.undoForget': ({ undoId }) => s.keyRemoval.undo(undoId),
    'rotations.list': async () => s.journal.history(),
    'rotations.plan': async ({ keyId }) => s.rotation.plan(keyId),
    'rotations.start': ({ keyId }) => s.rotation.start(keyId),
    'rotations.resume': ({ rotationId }) => s.rotation.resume(rotationId),
    'rotations.rollback': ({ rotationId, keepNewKey }) => s.rotation.rollback(rotationId, { keepNewKey }),
    'rotations.provideNewKey': ({ rotationId, value }) => s.rotation.provideNewKey(rotationId, value),
    'rotations.confirmRevoked': ({ rotationId }) => s.rotation.confirmRevoked(rotationId),
    'rotations.confirmEntered': ({ rotationId }) => s.rotation.confirmEntered(rotationId),
    'clients.scan': ({ projectPaths }) => s.bindings.scan(projectPaths),
    'clients.list': () => s.bindings.clients(),
    'bindings.list': async () => s.vault.bindings.list(),
    'bindings.preview': (input) => s.bindings.preview(input),
    'bindings.checkName': (input) => s.bindings.checkName(input),
    'bindings.apply': ({ planId }) => s.bindings.apply(planId),
    'bindings.remove': ({ bindingId }) => s.bindings.remove(bindingId),
    'bindings.adopt': (input) => s.bindings.adopt(input),
    'bindings.importFound': (input) => s.bindings.importFound(input),
    'changes.list': () => s.bindings.changes(),
    'changes.undo': ({ changeId }) => s.bindings.undo(changeId),
    'findings.scan': (input) => s.findings.scan(input),
    'findings.progress': async () => s.findings.progress(),
    'findings.folders': () => s.findings.folders(),
    'findings.secure': (input) => s.findings.secure(input),
    'findings.revalidate': ({ findingIds }) => s.findings.revalidate(findingIds),
    'findings.undo': ({ changeId }) => s.findings.undoSecure(changeId),
    'activity.list': (filter) => s.findings.activity(filter),
    'bindings.drift': () => s.findings.drift(),
    'bindings.repairPreview': ({ bindingId }) => s.findings.repairPreview(bindingId),
    'bindings.repair': ({ planId }) => s.findings.repair(planId),
    'keys.update': ({ keyId, ...change }) => s.keys.update(keyId, change),
    'settings.get': () => s.settings.get(),
    'settings.update': (patch) => s.settings.update(patch),
    'app.pickFolder': async () => ({ path: await s.pickFolder() }),
    'bindings.previewMove': ({ bindingId }) => s.bindings.previewMove(bindingId),
    'clients.testServer': (input) => s.testServer(input)
  }
}

/**
 * Methods answered from Keywarden's own files alone: they need no provider, no client file and no
 * sandbox, so the command line answers them without starting any of that.
 */
export const answeredFromFiles: ReadonlySet<Method> = new Set<Method>([
  'keys.list',
  'providers.list',
  'providers.catalog',
  'bindings.list',
  'rotations.list',
  'keys.due',
  'keys.recognise'
])
