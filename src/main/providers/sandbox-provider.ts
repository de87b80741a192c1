import { randomBytes } from 'node:crypto'
import type { MetadataStore } from '../vault/metadata-store'
import { accounts, type SecretStore } from '../vault/secret-store'

export const SANDBOX_PROVIDER_ID = 'sandbox'
const SANDBOX_EMAIL = 'you@sandbox.local'

/**
 * Makes sure the "Local sandbox" provider exists and can sign in: a random password kept in the
 * keychain, registered with the embedded service (which keeps only its hash).
 */
export async function ensureSandboxProvider(deps: {
  store: MetadataStore
  secrets: SecretStore
  sandboxUrl: string
  fetch?: typeof fetch
  now?: () => Date
}): Promise<void> {
  const now = deps.now ?? (() => new Date())
  const doFetch = deps.fetch ?? fetch
  if (!deps.store.read().providers.some((p) => p.id === SANDBOX_PROVIDER_ID)) {
    await deps.store.update((data) => {
      data.providers.unshift({
        id: SANDBOX_PROVIDER_ID,
        kind: 'sandbox',
        name: 'Local sandbox',
        email: SANDBOX_EMAIL,
        createdAt: now().toISOString(),
        sync: {}
      })
    })
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
