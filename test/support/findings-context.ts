import type { App } from '../../src/main/app/open-app'
import type { SecureContext } from '../../src/main/findings/secure-wiring'
import type { DriftContext } from '../../src/main/findings/drift-wiring'

/** What the findings engines take from a running app, as start-services wires them for the window. */
export function findingsContextOf(app: App): SecureContext & DriftContext {
  const s = app.services
  return {
    dataDir: app.dataDir,
    home: app.home,
    platform: 'linux',
    env: {},
    vault: s.vault,
    secrets: app.secrets,
    adapterFor: (provider) => s.adapterFor(provider),
    importKey: (input) => s.importKey(input),
    specFor: (binding) => s.bindings.specFor(binding),
    specForNew: (binding) => s.bindings.specForNew(binding)
  }
}
