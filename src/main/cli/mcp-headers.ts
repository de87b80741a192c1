import { KeywardenError } from '../../shared/errors'
import { headerStyleFor, headerValue } from '../providers/catalog'
import { openMetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'

/**
 * `keywarden mcp-headers <binding>`: what Claude Code's headersHelper runs on every connect. It
 * reads the binding's current key from the keychain and prints the header JSON. Kept to the
 * minimum (metadata file + one keychain read) because a person waits on it.
 */
export async function mcpHeaders(bindingId: string, dataDir: string, secrets: SecretStore): Promise<string> {
  const data = (await openMetadataStore(dataDir)).read()
  const binding = data.bindings.find((b) => b.id === bindingId)
  if (!binding) throw new KeywardenError('not-found', `No binding ${bindingId} in ${dataDir}. Add the server again from Keywarden.`)
  const key = data.keys.find((k) => k.id === binding.keyId)
  const provider = key && data.providers.find((p) => p.id === key.providerId)
  if (!key || !provider) throw new KeywardenError('not-found', `The key for "${binding.serverName}" is no longer in the vault.`)
  if (key.status === 'revoked') throw new KeywardenError('conflict', `The key for "${binding.serverName}" (${key.prefix}…) is revoked; rotate it in Keywarden.`)
  const value = await secrets.get(accounts.key(key.id))
  if (!value) throw new KeywardenError('not-found', `The keychain has no value for "${key.name}"; open Keywarden to repair it.`)
  const style = headerStyleFor(provider)
  return JSON.stringify({ [style.name]: headerValue(style, value) })
}
