import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Finding } from '../../shared/findings'
import type { Binding, ClientId, KeyMeta, Placement, Provider } from '../../shared/schemas'
import { clientIdSchema } from '../../shared/schemas'
import { helperCommand } from '../bindings/helper-command'
import { importKey } from '../keys/import'
import { CLIENT_MODULES, placementsFor, renderEntry } from '../mcp-config/clients'
import type { ConfigLocation } from '../mcp-config/paths'
import type { ProviderAdapter } from '../providers/adapter'
import { headerStyleFor, providerCatalog } from '../providers/catalog'
import { defaultDataDir } from '../vault/data-dir'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, keychainService, type SecretStore } from '../vault/secret-store'
import { moveEntryKeyless, undoSecured } from './secure-config'
import type { SecureDeps } from './secure'
import type { VaultIndex } from './vault-index'

/** What securing needs from the running app; `createAppContext`'s result has all of it. */
export interface SecureContext {
  dataDir: string
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  cliArgv?: string[]
  store: MetadataStore
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  now?: () => Date
  emit?: (event: { type: 'keys.changed' | 'bindings.changed' }) => void
}

const KEYLESS: Placement[] = ['helper', 'bridge', 'input']
const known = (client: string): client is ClientId =>
  clientIdSchema.safeParse(client).success && CLIENT_MODULES.some((m) => m.clients.includes(client as ClientId))

/**
 * The real steps behind "secure it": import through the usual import (checked with the service),
 * move the entry to the client's best keyless placement and record it as a binding.
 */
export function secureDeps(ctx: SecureContext, index: VaultIndex): SecureDeps {
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === ctx.platform) ?? 'linux'
  const argv = ctx.cliArgv ?? [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])]
  const keyOf = (keyId: string): KeyMeta => {
    const key = ctx.store.read().keys.find((k) => k.id === keyId)
    if (!key) throw new KeywardenError('not-found', 'That key is no longer in the vault.')
    return key
  }
  return {
    index,
    importable: (f) => Object.values(providerCatalog).some((c) => c.label === f.service) && Boolean(f.service),
    keylessPlacement: (client) => (known(client) ? placementsFor(client).find((p) => KEYLESS.includes(p)) : undefined),
    async importKey(value, finding) {
      const name = `${finding.service ?? 'Key'} from ${finding.config?.label ?? finding.file}`.slice(0, 200)
      const { key } = await importKey({ value, name }, { ...ctx, emit: ctx.emit })
      return { keyId: key.id }
    },
    async moveToKeyless({ finding, keyId, placement, value }) {
      const config = finding.config!
      const client = config.client as ClientId
      const location: ConfigLocation | undefined = locationOf(finding)
      if (!location) throw new KeywardenError('not-found', `Keywarden does not know ${finding.file} as a ${client} config.`)
      const key = keyOf(keyId)
      const provider = ctx.store.read().providers.find((p) => p.id === key.providerId)!
      const url = urlOf(finding) ?? ctx.adapterFor(provider).mcpUrl
      if (!url) throw new KeywardenError('unsupported', `"${config.serverName}" has no URL Keywarden can connect the ${placement} to.`)
      const bindingId = randomUUID()
      const spec = {
        name: config.serverName!,
        url,
        header: headerStyleFor(provider),
        placement,
        helperCommand: helperCommand({
          argv,
          bindingId,
          dataDir: ctx.dataDir,
          keychainService: keychainService(ctx.dataDir, defaultDataDir(ctx.home, ctx.platform, ctx.env)),
          platform
        }),
        input: placement === 'input' ? { id: `${config.serverName}-key`, description: `${provider.name} API key (${key.name})` } : undefined
      }
      const changeId = await moveEntryKeyless(ctx.dataDir, {
        location,
        serverName: config.serverName!,
        value,
        keyId,
        bindingId,
        entry: renderEntry(client, spec)
      })
      const binding: Binding = {
        id: bindingId,
        keyId,
        client,
        scope: location.scope,
        file: location.file,
        projectPath: location.projectPath,
        serverName: config.serverName!,
        url,
        placement,
        createdAt: (ctx.now ?? (() => new Date()))().toISOString()
      }
      await ctx.store.update((d) => {
        d.bindings.push(binding)
      })
      ctx.emit?.({ type: 'bindings.changed' })
      return { changeId }
    }
  }

  function locationOf(finding: Finding): ConfigLocation | undefined {
    const c = finding.config
    if (!c?.client || !known(c.client) || !c.scope) return undefined
    const module = CLIENT_MODULES.find((m) => m.clients.includes(c.client as ClientId))!
    const projects = c.projectPath ? [c.projectPath] : []
    return module
      .locations(
        { home: ctx.home, platform, env: ctx.env },
        { projects, profiles: c.scope.startsWith('profile:') ? [{ insiders: c.client === 'vscode-insiders', id: c.scope.slice(8) }] : [] }
      )
      .find((l) => l.client === c.client && l.scope === c.scope && l.file === finding.file)
  }
}

/** The URL of the server whose entry holds the key, when the scan saw it (the key sat in a header). */
function urlOf(finding: Finding): string | undefined {
  return finding.config?.url
}

/** Undoes a secured entry: the old entry back (its key read from the keychain), the binding forgotten. */
export async function undoSecure(ctx: SecureContext, changeId: string): Promise<void> {
  const { bindingId } = await undoSecured(ctx.dataDir, changeId, (keyId) => ctx.secrets.get(accounts.key(keyId)))
  if (bindingId)
    await ctx.store.update((d) => {
      d.bindings = d.bindings.filter((b) => b.id !== bindingId)
    })
  ctx.emit?.({ type: 'bindings.changed' })
}
