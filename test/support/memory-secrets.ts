import type { SecretStore } from '../../src/main/vault/secret-store'

/**
 * A keychain in memory, for tests about something else than the keychain (provider adapters,
 * sync, validation). Tests about the keychain itself, and integration tests, use the real one.
 */
export function memorySecretStore(): SecretStore & { readonly values: ReadonlyMap<string, string> } {
  const values = new Map<string, string>()
  return {
    values,
    get: async (account) => values.get(account) ?? null,
    set: async (account, value) => void values.set(account, value),
    delete: async (account) => values.delete(account),
    probe: async () => ({ available: true })
  }
}
