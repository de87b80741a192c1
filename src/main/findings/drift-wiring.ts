import { KeywardenError } from '../../shared/errors'
import type { Binding, Provider } from '../../shared/schemas'
import { helperCommand } from '../bindings/helper-command'
import { locationFor, renderEntry } from '../mcp-config/clients'
import { planAdd, readContainer } from '../mcp-config/plan'
import type { ProviderAdapter } from '../providers/adapter'
import { defaultDataDir } from '../vault/data-dir'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, keychainService, type SecretStore } from '../vault/secret-store'
import type { DriftDeps } from './drift'

/** What the drift check needs from the running app; `createAppContext`'s result has all of it. */
export interface DriftContext {
  dataDir: string
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  cliArgv?: string[]
  store: MetadataStore
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
}

/** The real files, clients and keychain behind the drift check and its repair. */
export function driftDeps(ctx: DriftContext): DriftDeps {
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === ctx.platform) ?? 'linux'
  const paths = { home: ctx.home, platform, env: ctx.env }
  const argv = ctx.cliArgv ?? [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])]
  const location = (b: Binding) => {
    const l = locationFor(paths, b.client, b.scope, b.projectPath)
    if (!l) throw new KeywardenError('not-found', `${b.client} has no "${b.scope}" scope any more.`)
    return l
  }
  return {
    location,
    readServers: async (l) => (await readContainer(l)).servers,
    render: renderEntry,
    planAdd,
    async expected(b) {
      const key = ctx.store.read().keys.find((k) => k.id === b.keyId)
      const provider = key && ctx.store.read().providers.find((p) => p.id === key.providerId)
      if (!key || !provider) throw new KeywardenError('not-found', `The key behind "${b.serverName}" is no longer in the vault.`)
      const adapter = ctx.adapterFor(provider)
      const spec = { name: b.serverName, url: b.url, header: adapter.header, placement: b.placement }
      if (b.placement === 'helper') {
        const service = keychainService(ctx.dataDir, defaultDataDir(ctx.home, ctx.platform, ctx.env))
        return {
          ...spec,
          helperCommand: helperCommand({ argv, bindingId: b.id, dataDir: ctx.dataDir, keychainService: service, platform })
        }
      }
      if (b.placement === 'input')
        return { ...spec, input: { id: `${b.serverName}-key`, description: `${provider.name} API key (${key.name})` } }
      if (b.placement === 'inline') {
        const secret = await ctx.secrets.get(accounts.key(key.id))
        if (!secret) throw new KeywardenError('not-found', `The keychain has no value for "${key.name}".`)
        return { ...spec, secret }
      }
      throw new KeywardenError('unsupported', `Keywarden cannot check ${b.placement} entries yet.`)
    }
  }
}
