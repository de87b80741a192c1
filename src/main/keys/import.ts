import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import {
  customPrefixProblem,
  type ImportKeyInput,
  type KeyMeta,
  type Provider,
  type ProviderKind,
  type Recognition
} from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import { providerCatalog } from '../providers/catalog'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import type { Vault } from '../vault/vault'
import { bareKey } from '../mcp-config/server-entry'
import { accounts, type SecretStore } from '../vault/secret-store'
import { requireRoomForKeys } from './key-limits'

export type { Recognition }

/** What a person pasted, as the key itself: surrounding space and a copied "Bearer " dropped. */
export function normaliseKeyValue(value: string): string {
  return bareKey(value)
}

/**
 * Names the service a pasted value belongs to by its documented prefix and shape. Built-in shapes
 * win over custom prefixes, so a custom description can never capture a built-in service's keys.
 */
export function recognise(value: string, providers: Provider[]): Recognition {
  const v = normaliseKeyValue(value)
  const catalog = Object.values(providerCatalog)
  const idsOf = (kind: ProviderKind) => providers.filter((p) => p.kind === kind).map((p) => p.id)
  for (const info of catalog) {
    if (!info.keyPattern?.test(v)) continue
    const ids = idsOf(info.kind)
    const message = ids.length
      ? `This is a ${info.label} key.`
      : `This is a ${info.label} key, but ${info.label} is not connected yet. Connect it first (Providers).`
    return { kind: info.kind, label: info.label, providerIds: ids, exact: true, message }
  }
  const custom = providers
    .filter(
      (p) => p.kind === 'custom' && p.custom?.keyPrefix && !customPrefixProblem(p.custom.keyPrefix) && v.startsWith(p.custom.keyPrefix)
    )
    .sort((a, b) => b.custom!.keyPrefix!.length - a.custom!.keyPrefix!.length)[0]
  if (custom)
    return { kind: 'custom', label: custom.name, providerIds: [custom.id], exact: true, message: `This looks like a ${custom.name} key.` }
  for (const info of catalog) {
    if (!info.keyPrefix || !v.startsWith(info.keyPrefix)) continue
    const ids = idsOf(info.kind)
    const offer = ids.length ? ` If you are sure it is a ${info.label} key, choose ${info.label} below: the service's check decides.` : ''
    return {
      kind: info.kind,
      label: info.label,
      providerIds: ids,
      exact: false,
      message: `This starts like a ${info.label} key (${info.keyPrefix}) but its length or characters are off. Check for a missing or extra character.${offer}`
    }
  }
  return { providerIds: [], message: 'Keywarden does not recognise this key by its prefix. Choose its provider.' }
}

/**
 * The service a recognised value belongs to when that is not `provider` (its label), else undefined.
 * A key of another service is never sent to the chosen one's check address; Local sandbox keys open
 * nothing beyond this machine, so they may stand in for a service someone describes.
 */
export function belongsElsewhere(recognised: Recognition, provider: Provider): string | undefined {
  if (!recognised.kind || !recognised.label || recognised.kind === provider.kind) return undefined
  if (recognised.kind === 'sandbox' && provider.kind === 'custom') return undefined
  return recognised.label
}

/** The prefix a provider's keys are documented to start with, when there is one. */
function documentedShape(provider: Provider): string | undefined {
  if (provider.kind !== 'custom') return providerCatalog[provider.kind].keyPrefix
  const prefix = provider.custom?.keyPrefix
  return prefix && !customPrefixProblem(prefix) ? prefix : undefined
}

export interface ImportDeps {
  vault: Vault
  secrets: SecretStore
  adapterFor: (p: Provider) => ProviderAdapter
  now?: () => Date
}

/**
 * Imports a pasted key: files it under the right provider, checks it against the service, and
 * only then stores it (value to the keychain first, then the metadata).
 */
export async function importKey(input: ImportKeyInput, deps: ImportDeps): Promise<{ key: KeyMeta; warnings: string[] }> {
  const now = deps.now ?? (() => new Date())
  const { vault } = deps
  const value = normaliseKeyValue(input.value)
  const providers = vault.providers.list()
  const recognised = recognise(value, providers)
  let provider: Provider | undefined
  if (input.providerId) {
    provider = vault.providers.get(input.providerId)
    const elsewhere = belongsElsewhere(recognised, provider)
    if (elsewhere)
      throw new KeywardenError(
        'invalid-input',
        `This looks like a ${elsewhere} key, not a ${provider.name} key. Choose ${elsewhere} instead.`
      )
    // A provider filled in from an earlier value (the text changed since) is not the person's choice.
    const shape = documentedShape(provider)
    if (shape && !input.providerChosen && !(recognised.exact === true && recognised.providerIds.includes(provider.id)))
      throw new KeywardenError(
        'invalid-input',
        `This key does not have the shape of a ${provider.name} key (${shape}…), so Keywarden did not send it to ${provider.name}. If you are sure it is one, choose ${provider.name} yourself; otherwise choose its provider.`
      )
  } else {
    if (recognised.exact === false) throw new KeywardenError('invalid-input', recognised.message)
    if (recognised.providerIds.length !== 1)
      throw new KeywardenError(
        'invalid-input',
        recognised.providerIds.length > 1
          ? `${recognised.message} Choose which ${recognised.label} account it belongs to.`
          : recognised.message
      )
    provider = providers.find((p) => p.id === recognised.providerIds[0])!
  }

  const fp = fingerprint(value)
  const existing = vault.keys.withFingerprint(fp)
  if (existing) throw new KeywardenError('conflict', `This key is already in the vault as "${existing.name}".`)

  const scopes = checkScopes(provider, input.scopes)
  const warnings: string[] = []
  const nearLimit = requireRoomForKeys(vault.keys.list(), provider)

  const adapter = deps.adapterFor(provider)
  const check = await adapter.validateKey(value)
  if (!check.valid) throw new KeywardenError('provider-rejected', `${check.message} Nothing was imported.`)
  if (check.warning) warnings.push(check.warning)
  if (nearLimit) warnings.push(nearLimit)

  // The service already lists this key as "not in this vault": give that record its value instead
  // of adding a second row that the service knows nothing about.
  const listed = adapter.managesKeys ? listedRecordFor(vault.keys.ofProvider(provider.id), provider.id, value, check.keyName) : undefined
  if (listed) {
    await deps.secrets.set(accounts.key(listed.id), value)
    const key = await vault.keys.fillValue(listed.id, { fingerprint: fp, scopes })
    warnings.push(`${provider.name} already listed this key as "${key.name}"; its value is now in this vault.`)
    return { key, warnings }
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
    scopes,
    status: 'active',
    inVault: true,
    addedAt: at
  }
  await vault.keys.add(key)
  return { key, warnings }
}

/**
 * The one "not in this vault" record a pasted value belongs to: its listed prefix starts the value,
 * and where the service named the key on validation, the names agree.
 */
function listedRecordFor(keys: KeyMeta[], providerId: string, value: string, keyName?: string): KeyMeta | undefined {
  let candidates = keys.filter(
    (k) =>
      k.providerId === providerId &&
      !k.inVault &&
      k.remoteId &&
      k.status !== 'revoked' &&
      k.prefix.length >= 4 &&
      value.startsWith(k.prefix)
  )
  if (keyName !== undefined) candidates = candidates.filter((k) => k.name === keyName)
  return candidates.length === 1 ? candidates[0] : undefined
}

/** Lynxo keys carry one of its documented permission levels; other services take what is given. */
function checkScopes(provider: Provider, scopes: string[] | undefined): string[] | undefined {
  const allowed = provider.kind === 'custom' ? undefined : providerCatalog[provider.kind].scopes
  if (!allowed || !scopes) return scopes
  const unknown = scopes.filter((s) => !allowed.includes(s))
  if (unknown.length)
    throw new KeywardenError('invalid-input', `${provider.name} permissions are one of: ${allowed.join(', ')} (not ${unknown.join(', ')}).`)
  return scopes
}
