import { createHmac, randomBytes } from 'node:crypto'
import type { KeyMeta, Provider } from '../../shared/schemas'
import type { SecretStore } from '../vault/secret-store'
import { MAX_TOKEN } from './key-shapes'

/** The keychain account holding this vault's fingerprint key (random, never leaves the keychain and main). */
export const FINGERPRINT_ACCOUNT = 'findings:fingerprint-key'

/**
 * This vault's own key for fingerprints in scan results and the activity log: with it, a
 * fingerprint says "this is the same value" to this vault only, and cannot be used elsewhere to
 * confirm a guessed key. Made on first use.
 */
export async function fingerprintKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(FINGERPRINT_ACCOUNT)
  if (stored && /^[A-Za-z0-9+/]{43}=$/.test(stored)) return Buffer.from(stored, 'base64')
  const fresh = randomBytes(32)
  await secrets.set(FINGERPRINT_ACCOUNT, fresh.toString('base64'))
  return fresh
}

/** A vault key as the scan reports it: never its value. */
export interface IndexedKey {
  id: string
  name: string
  status: KeyMeta['status']
  service: string
}

/**
 * What the scan knows of the vault's keys: the keyed fingerprint of each value it holds, with the
 * first characters and the length it needs to find candidates; and the listed prefix of keys whose
 * value it does not hold. The values themselves are read one at a time and dropped at once.
 */
export interface VaultIndex {
  /** First characters of held keys, with the lengths of the values that start so. */
  literals: Map<string, Set<number>>
  byFingerprint: Map<string, IndexedKey>
  /** Keys listed by a service but not held here: recognised by their prefix only. */
  listed: Array<{ prefix: string; key: IndexedKey }>
  fingerprint(bytes: Uint8Array): string
}

/** How many leading characters of a held key the scan looks for (the service shows as many). */
export const LITERAL_LENGTH = 8

export function keyedFingerprint(fpKey: Buffer, bytes: Uint8Array | string): string {
  return createHmac('sha256', fpKey).update(bytes).digest('hex').slice(0, 32)
}

export async function buildVaultIndex(deps: {
  keys: KeyMeta[]
  providers: Provider[]
  /** Reads one key's value from the keychain (null when absent). */
  readValue: (keyId: string) => Promise<string | null>
  fpKey: Buffer
}): Promise<VaultIndex> {
  const literals = new Map<string, Set<number>>()
  const byFingerprint = new Map<string, IndexedKey>()
  const listed: VaultIndex['listed'] = []
  const serviceOf = (k: KeyMeta) => deps.providers.find((p) => p.id === k.providerId)?.name ?? k.providerId
  for (const k of deps.keys) {
    const key: IndexedKey = { id: k.id, name: k.name, status: k.status, service: serviceOf(k) }
    if (!k.inVault) {
      if (k.prefix.length >= 6) listed.push({ prefix: k.prefix, key })
      continue
    }
    // Read, fingerprint and drop: the value lives only inside this iteration.
    const value = await deps.readValue(k.id)
    if (!value || value.length < LITERAL_LENGTH + 4 || value.length > MAX_TOKEN || !/^[\x21-\x7e]+$/.test(value)) continue
    const literal = value.slice(0, LITERAL_LENGTH)
    const lengths = literals.get(literal) ?? new Set<number>()
    lengths.add(value.length)
    literals.set(literal, lengths)
    byFingerprint.set(keyedFingerprint(deps.fpKey, value), key)
  }
  return { literals, byFingerprint, listed, fingerprint: (bytes) => keyedFingerprint(deps.fpKey, bytes) }
}

/** An index with no vault keys: the scan then reports keys by their shape only. */
export function emptyVaultIndex(fpKey: Buffer): VaultIndex {
  return { literals: new Map(), byFingerprint: new Map(), listed: [], fingerprint: (bytes) => keyedFingerprint(fpKey, bytes) }
}
