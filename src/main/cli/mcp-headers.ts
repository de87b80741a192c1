import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import type { Binding, KeyMeta, Provider } from '../../shared/schemas'
import { headerStyleFor, headerValue } from '../providers/catalog'
import { accounts, createKeytarStore, openVaultKeychain, type SecretStore } from '../vault/secret-store'
import { defaultDataDir } from '../vault/data-dir'

/**
 * `keywarden mcp-headers <binding>`: what Claude Code's headersHelper runs on every connect. It
 * reads the binding's current key from the keychain and prints the header JSON. Kept to the
 * minimum (one file read, one keychain read, no schema library) because a person waits on it.
 */
export async function mcpHeaders(bindingId: string, dataDir: string, secrets: SecretStore): Promise<string> {
  let data: { bindings?: Binding[]; keys?: KeyMeta[]; providers?: Provider[] }
  try {
    data = JSON.parse(await readFile(join(dataDir, 'vault.json'), 'utf8')) as typeof data
  } catch (error) {
    throw new KeywardenError(
      'not-found',
      `Keywarden's vault in ${dataDir} could not be read (${(error as NodeJS.ErrnoException).code ?? 'invalid'}). Open Keywarden to repair it.`
    )
  }
  const binding = data.bindings?.find((b) => b.id === bindingId)
  if (!binding) throw new KeywardenError('not-found', `No binding ${bindingId} in ${dataDir}. Add the server again from Keywarden.`)
  const key = data.keys?.find((k) => k.id === binding.keyId)
  const provider = key && data.providers?.find((p) => p.id === key.providerId)
  if (!key || !provider) throw new KeywardenError('not-found', `The key for "${binding.serverName}" is no longer in the vault.`)
  if (key.status === 'revoked')
    throw new KeywardenError('conflict', `The key for "${binding.serverName}" (${key.prefix}…) is revoked; rotate it in Keywarden.`)
  const value = await secrets.get(accounts.key(key.id))
  if (!value) throw new KeywardenError('not-found', `The keychain has no value for "${key.name}"; open Keywarden to repair it.`)
  const style = headerStyleFor(provider)
  return JSON.stringify({ [style.name]: headerValue(style, value) })
}

/** The command itself: arguments in, header JSON on stdout, a plain message on stderr. */
export async function runMcpHeaders(args: string[], env: Record<string, string | undefined>, dataDirOverride?: string): Promise<number> {
  const bindingId = args[0]
  if (!bindingId || bindingId.startsWith('-')) {
    process.stderr.write('usage: keywarden mcp-headers <binding-id> [--data-dir <path>] [--keychain-service <name>]\n')
    return 2
  }
  const option = (name: string) => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1] : undefined
  }
  const fallback = defaultDataDir(homedir(), process.platform, env)
  const dataDir = option('--data-dir') ?? dataDirOverride ?? fallback
  // The command Keywarden writes names the service; older entries derive it from the environment.
  const service = option('--keychain-service')
  const keychain = service
    ? createKeytarStore({ service })
    : openVaultKeychain(dataDir, { home: homedir(), platform: process.platform, env })
  try {
    process.stdout.write(`${await mcpHeaders(bindingId, dataDir, keychain)}\n`)
    return 0
  } catch (error) {
    process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
