import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { ImportKeyInput, KeyMeta, Provider, ProviderKind } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import { providerCatalog } from '../providers/catalog'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'

export interface Recognition {
  /** The kind of service the value belongs to, from its prefix; absent when nothing matched. */
  kind?: ProviderKind
  label?: string
  /** Connected providers of that kind (a person may have several Lybic organizations). */
  providerIds: string[]
  message: string
}

/** Names the service a pasted value belongs to by its documented prefix and shape. */
export function recognise(value: string, providers: Provider[]): Recognition {
  const v = value.trim()
  for (const p of providers) {
    const prefix = p.custom?.keyPrefix
    if (p.kind === 'custom' && prefix && v.startsWith(prefix)) {
      return { kind: 'custom', label: p.name, providerIds: [p.id], message: `This looks like a ${p.name} key.` }
    }
  }
  for (const info of Object.values(providerCatalog)) {
    if (!info.keyPattern) continue
    if (info.keyPattern.test(v)) {
      const ids = providers.filter((p) => p.kind === info.kind).map((p) => p.id)
      const message = ids.length
        ? `This is a ${info.label} key.`
        : `This is a ${info.label} key, but ${info.label} is not connected yet. Connect it first (Providers).`
      return { kind: info.kind, label: info.label, providerIds: ids, message }
    }
    if (info.keyPrefix && v.startsWith(info.keyPrefix)) {
      return {
        kind: info.kind,
        label: info.label,
        providerIds: [],
        message: `This starts like a ${info.label} key (${info.keyPrefix}) but its length or characters are off. Check for a missing or extra character.`
      }
    }
  }
  return { providerIds: [], message: 'Keywarden does not recognise this key by its prefix. Choose its provider.' }
}

/**
 * Imports a pasted key: files it under the right provider, checks it against the service, and
 * only then stores it (value to the keychain first, then the metadata).
 */
export async function importKey(
  input: ImportKeyInput,
  deps: { store: MetadataStore; secrets: SecretStore; adapterFor: (p: Provider) => ProviderAdapter; now?: () => Date; emit?: (e: { type: 'keys.changed' }) => void }
): Promise<{ key: KeyMeta; warnings: string[] }> {
  const now = deps.now ?? (() => new Date())
  const value = input.value.trim()
  const providers = deps.store.read().providers
  const recognised = recognise(value, providers)
  let provider: Provider | undefined
  if (input.providerId) {
    provider = providers.find((p) => p.id === input.providerId)
    if (!provider) throw new KeywardenError('not-found', 'That provider is no longer connected.')
    if (recognised.kind && recognised.kind !== provider.kind && recognised.label) {
      throw new KeywardenError('invalid-input', `This looks like a ${recognised.label} key, not a ${provider.name} key. Choose ${recognised.label} instead.`)
    }
  } else {
    if (recognised.providerIds.length !== 1) throw new KeywardenError('invalid-input', recognised.providerIds.length > 1 ? `${recognised.message} Choose which ${recognised.label} account it belongs to.` : recognised.message)
    provider = providers.find((p) => p.id === recognised.providerIds[0])!
  }

  const fp = fingerprint(value)
  const existing = deps.store.read().keys.find((k) => k.fingerprint === fp)
  if (existing) throw new KeywardenError('conflict', `This key is already in the vault as "${existing.name}".`)

  const adapter = deps.adapterFor(provider)
  const check = await adapter.validateKey(value)
  if (!check.valid) throw new KeywardenError('provider-rejected', `${check.message} Nothing was imported.`)

  const warnings: string[] = []
  const limit = provider.kind === 'lynxo' ? providerCatalog.lynxo.maxActiveKeys : undefined
  const active = deps.store.read().keys.filter((k) => k.providerId === provider.id && k.status === 'active').length + 1
  if (limit && active >= limit - 5) {
    warnings.push(`${provider.name} allows at most ${limit} active keys per account; this vault now tracks ${active}. Revoke unused keys before you reach the limit.`)
  }

  const id = randomUUID()
  await deps.secrets.set(accounts.key(id), value)
  const at = now().toISOString()
  const key: KeyMeta = {
    id,
    providerId: provider.id,
    name: input.name,
    prefix: maskSecret(value).slice(0, -1),
    fingerprint: fp,
    createdAt: at,
    scopes: input.scopes,
    status: 'active',
    inVault: true,
    addedAt: at
  }
  await deps.store.update((data) => {
    data.keys.push(key)
  })
  deps.emit?.({ type: 'keys.changed' })
  return { key, warnings }
}
