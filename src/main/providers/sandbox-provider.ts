import { randomBytes } from 'node:crypto'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'

export const SANDBOX_PROVIDER_ID = 'sandbox'
const SANDBOX_EMAIL = 'you@sandbox.local'

/**
 * Makes sure the "Local sandbox" provider exists and can sign in: a random password kept in the
 * keychain, registered with the embedded service (which keeps only its hash).
 */
export async function ensureSandboxProvider(deps: {
  vault: Vault
  secrets: SecretStore
  sandboxUrl: string
  fetch?: typeof fetch
  now?: () => Date
}): Promise<void> {
  const now = deps.now ?? (() => new Date())
  const doFetch = deps.fetch ?? fetch
  if (!deps.vault.providers.find(SANDBOX_PROVIDER_ID)) {
    await deps.vault.providers.add(
      { id: SANDBOX_PROVIDER_ID, kind: 'sandbox', name: 'Local sandbox', email: SANDBOX_EMAIL, createdAt: now().toISOString(), sync: {} },
      { first: true }
    )
  }
  let password = await deps.secrets.get(accounts.providerPassword(SANDBOX_PROVIDER_ID))
  if (!password) {
    password = randomBytes(24).toString('base64url')
    await deps.secrets.set(accounts.providerPassword(SANDBOX_PROVIDER_ID), password)
  }
  const response = await doFetch(`${deps.sandboxUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SANDBOX_EMAIL, password }),
    signal: AbortSignal.timeout(5000)
  })
  // 409: already registered on an earlier start, with the password the keychain holds.
  if (!response.ok && response.status !== 409) {
    throw new Error(`The local sandbox refused to set up its account (HTTP ${response.status}).`)
  }
}
