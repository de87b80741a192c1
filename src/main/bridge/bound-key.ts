import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import type { Binding, KeyMeta, Provider } from '../../shared/schemas'
import { headerStyleFor, headerValue } from '../providers/catalog'
import { accounts, type SecretStore } from '../vault/secret-store'

/** A binding's key as a client must send it, read at the moment of connecting. */
export interface BoundKey {
  bindingId: string
  client: Binding['client']
  serverName: string
  /** The server the binding was made for: the only one this key is handed to. */
  url: string
  keyId: string
  /** The key as the activity log names it: never its value. */
  key: Pick<KeyMeta, 'id' | 'name' | 'fingerprint'>
  /** How a person recognises the key in a message: its name and the prefix the service shows. */
  keyLabel: string
  header: { name: string; value: string }
  /** The bare value, kept only so that every outgoing text can be scrubbed of it. */
  secret: string
}

interface VaultFile {
  bindings?: Binding[]
  keys?: KeyMeta[]
  providers?: Provider[]
}

/** `"Work laptop" (lk_abc123…)`: a key named the way the window names it, never its value. */
export const keyLabelOf = (key: Pick<KeyMeta, 'name' | 'prefix'>) => `"${key.name}" (${key.prefix}…)`

/**
 * What a person can do for an entry whose key is gone for good: a revoked key cannot be rotated,
 * so the entry is removed and an active key added to the client again — both of which Keywarden
 * accepts, from the window and from the command line.
 */
export const replaceKeyAdvice = (binding: Pick<Binding, 'id' | 'client'>) =>
  `Remove this entry (\`keywarden bindings remove ${binding.id.slice(0, 8)}\`, or Remove in Keywarden's Tools), then add an active key to this client (\`keywarden inject <key> --client ${binding.client}\`, or Keys → Add to…), and reconnect.`

/**
 * The fast path shared by the headers helper and the bridge, which a client waits on at every
 * connect: one read of vault.json and one keychain read. No schema library and no services are
 * loaded: a field that is missing or of the wrong type reads as "not there".
 */
export async function readBoundKey(bindingId: string, dataDir: string, secrets: SecretStore): Promise<BoundKey> {
  let data: VaultFile
  try {
    data = JSON.parse(await readFile(join(dataDir, 'vault.json'), 'utf8')) as VaultFile
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new KeywardenError(
      'not-found',
      code === 'ENOENT'
        ? `Keywarden has no vault in ${dataDir}. Add the server again from Keywarden, or fix the --data-dir in this entry.`
        : `Keywarden's vault in ${dataDir} could not be read (${code ?? 'not valid JSON'}). Open Keywarden to repair it.`
    )
  }
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : [])
  const binding = list(data.bindings).find((b) => b?.id === bindingId)
  if (!binding)
    throw new KeywardenError(
      'not-found',
      `No binding ${bindingId} in ${dataDir}: Keywarden no longer knows this server. Add it again from Keywarden (Keys → Add to…).`
    )
  const key = list(data.keys).find((k) => k?.id === binding.keyId)
  const provider = key && list(data.providers).find((p) => p?.id === key.providerId)
  if (!key || !provider)
    throw new KeywardenError(
      'not-found',
      `The key for "${binding.serverName}" is no longer in Keywarden's vault. Add a key to this server again from Keywarden.`
    )
  if (key.status === 'revoked' || key.status === 'expired')
    throw new KeywardenError(
      'conflict',
      `The key for "${binding.serverName}", ${keyLabelOf(key)}, is ${key.status} and nothing replaced it, so this entry cannot connect. ${replaceKeyAdvice(binding)}`
    )
  const value = await secrets.get(accounts.key(key.id))
  if (!value)
    throw new KeywardenError(
      'not-found',
      `The keychain has no value for ${keyLabelOf(key)}, used by "${binding.serverName}". Open Keywarden to import the key again.`
    )
  const style = headerStyleFor(provider)
  return {
    bindingId,
    client: binding.client,
    serverName: binding.serverName,
    url: binding.url,
    keyId: key.id,
    key: { id: key.id, name: key.name, fingerprint: key.fingerprint },
    keyLabel: keyLabelOf(key),
    header: { name: style.name, value: headerValue(style, value) },
    secret: value
  }
}

/**
 * Whether a client is connecting to the server a binding was made for: same origin and path
 * (a trailing slash and letter case of the host aside). Anything that does not parse is not.
 */
export function sameServer(a: string, b: string): boolean {
  try {
    const x = new URL(a)
    const y = new URL(b)
    const path = (u: URL) => u.pathname.replace(/\/+$/, '')
    return x.origin === y.origin && path(x) === path(y) && x.search === y.search
  } catch {
    return false
  }
}
