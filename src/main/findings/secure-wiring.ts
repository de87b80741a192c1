import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Finding } from '../../shared/findings'
import type { Binding, ClientId, KeyMeta, Placement, Provider } from '../../shared/schemas'
import type { ServerSpec } from '../mcp-config/document/entries'
import { CLIENT_MODULES, clientIds, placementsFor, renderEntry } from '../mcp-config/clients'
import type { ConfigLocation } from '../mcp-config/paths'
import type { ProviderAdapter } from '../providers/adapter'
import { providerCatalog } from '../providers/catalog'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { Vault } from '../vault/vault'
import { moveEntryKeyless, undoSecured } from './secure-config'
import type { SecureDeps } from './secure'
import type { VaultIndex } from './vault-index'

/** What securing needs from the running app; `createAppContext`'s result has all of it. */
export interface SecureContext {
  dataDir: string
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  vault: Vault
  secrets: SecretStore
  adapterFor: (provider: Provider) => ProviderAdapter
  /** The usual import of a pasted key: recognised by prefix, checked with its service. */
  importKey(input: { value: string; name: string }): Promise<{ key: KeyMeta }>
  /** The bindings service's rendering of a new binding's entry (the same as "Add to…" writes). */
  specForNew(binding: Omit<Binding, 'createdAt'>): Promise<ServerSpec>
  now?: () => Date
}

const KEYLESS: Placement[] = ['helper', 'bridge', 'input']
const known = (client: string): client is ClientId => clientIds().includes(client)

/**
 * The real steps behind "secure it": import through the usual import (checked with the service),
 * move the entry to the client's best keyless placement and record it as a binding.
 */
export function secureDeps(ctx: SecureContext, index: VaultIndex): SecureDeps {
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === ctx.platform) ?? 'linux'
  const keyOf = (keyId: string): KeyMeta => ctx.vault.keys.get(keyId)
  return {
    index,
    importable: (f) => Object.values(providerCatalog).some((c) => c.label === f.service) && Boolean(f.service),
    keylessPlacement: (client) => (known(client) ? placementsFor(client).find((p) => KEYLESS.includes(p)) : undefined),
    async importKey(value, finding) {
      const name = `${finding.service ?? 'Key'} from ${finding.config?.label ?? finding.file}`.slice(0, 200)
      const { key } = await ctx.importKey({ value, name })
      return { keyId: key.id }
    },
    async moveToKeyless({ finding, keyId, placement, value }) {
      const config = finding.config!
      const client = config.client as ClientId
      const location: ConfigLocation | undefined = locationOf(finding)
      if (!location) throw new KeywardenError('not-found', `Keywarden does not know ${finding.file} as a ${client} config.`)
      const key = keyOf(keyId)
      const provider = ctx.vault.providers.get(key.providerId)
      const url = urlOf(finding) ?? ctx.adapterFor(provider).mcpUrl
      if (!url) throw new KeywardenError('unsupported', `"${config.serverName}" has no URL Keywarden can connect the ${placement} to.`)
      const replaced = managedBinding(location, config.serverName!)
      // Checked before the file is written, so a refusal (a rotation holds the key) changes nothing.
      ctx.vault.bindings.checkCanAdd(keyId)
      if (replaced) ctx.vault.bindings.checkCanAdd(replaced.keyId)
      const bindingId = randomUUID()
      const draft = {
        id: bindingId,
        keyId,
        client,
        scope: location.scope,
        file: location.file,
        projectPath: location.projectPath,
        serverName: config.serverName!,
        url,
        placement
      }
      const spec = await ctx.specForNew(draft)
      const changeId = await moveEntryKeyless(ctx.dataDir, {
        location,
        serverName: config.serverName!,
        value,
        keyId,
        bindingId,
        replaced,
        entry: renderEntry(client, spec)
      })
      const binding: Binding = { ...draft, createdAt: (ctx.now ?? (() => new Date()))().toISOString() }
      // An entry Keywarden already manages keeps one binding: the new placement takes the old one's place.
      if (replaced) await ctx.vault.bindings.replace(replaced.id, binding)
      else await ctx.vault.bindings.add(binding)
      return { changeId }
    }
  }

  /** The binding Keywarden already keeps for this entry (added in plain text, or adopted), if any. */
  function managedBinding(location: ConfigLocation, serverName: string): Binding | undefined {
    return ctx.vault.bindings
      .list()
      .find(
        (b) =>
          b.client === location.client &&
          b.scope === location.scope &&
          b.file === location.file &&
          b.serverName === serverName &&
          (b.projectPath ?? undefined) === (location.projectPath ?? undefined)
      )
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

/**
 * Undoes a secured entry: the old entry back (its key read from the keychain). The binding securing
 * made is forgotten, or, when the entry was already Keywarden's, the binding it replaced comes back.
 * Refused, before anything is written, when the key would come back revoked or the entry has moved
 * to another key since (a rotation): the file and the vault would disagree.
 */
export async function undoSecure(ctx: SecureContext, changeId: string): Promise<{ file: string; client: string; serverName?: string }> {
  const { bindingId, replaced, ...entry } = await undoSecured(
    ctx.dataDir,
    changeId,
    (keyId) => ctx.secrets.get(accounts.key(keyId)),
    (record) => {
      const key = ctx.vault.keys.find(record.keyId)
      const now = record.bindingId ? ctx.vault.bindings.find(record.bindingId) : undefined
      if (key?.status === 'revoked' || (now && now.keyId !== record.keyId))
        throw new KeywardenError(
          'conflict',
          `Undoing this would put "${key?.name ?? 'the old key'}" back into ${record.file} in plain text, but ${key?.status === 'revoked' ? 'that key is revoked' : 'the entry uses another key now'}. Nothing was changed.`
        )
      if (record.replaced) ctx.vault.bindings.checkCanAdd(record.replaced.keyId)
    }
  )
  const current = bindingId ? ctx.vault.bindings.find(bindingId) : undefined
  if (replaced && current) await ctx.vault.bindings.replace(current.id, replaced)
  else if (current) await ctx.vault.bindings.forget([current.id])
  return entry
}
