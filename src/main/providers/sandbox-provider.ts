import { randomBytes } from 'node:crypto'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import type { SandboxStore } from '../sandbox/store'

export const SANDBOX_PROVIDER_ID = 'sandbox'
const SANDBOX_EMAIL = 'you@sandbox.local'

/**
 * What a person reads when Keywarden cannot sign in to the Local sandbox: the keychain lost its
 * password (or holds another one) while the sandbox's account stayed in the data folder.
 */
export const SANDBOX_SIGN_IN_LOST =
  "Keywarden cannot sign in to the Local sandbox: the sign-in saved in your keychain is missing or no longer matches the sandbox's account (it was deleted or changed in the keychain). Close and reopen the Keywarden app, or stop `keywarden sandbox` and run it again: the Keywarden that serves the sandbox sets a new sign-in when it starts, and the sandbox's keys are kept."

/**
 * Makes sure the "Local sandbox" provider exists and can sign in: a random password kept in the
 * keychain, registered with the embedded service (which keeps only its hash). When this process
 * serves the sandbox (`store`) and the keychain's password does not open the account (the keychain
 * lost it), the account takes the keychain's password: it is this vault's own account, in this
 * vault's data folder, and its keys stay. A sandbox another process serves is left to that process.
 */
export async function ensureSandboxProvider(deps: {
  vault: Vault
  secrets: SecretStore
  sandboxUrl: string
  store?: Pick<SandboxStore, 'checkPassword' | 'setPassword'>
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
  if (response.status === 409 && deps.store && !(await deps.store.checkPassword(SANDBOX_EMAIL, password))) {
    await deps.store.setPassword(SANDBOX_EMAIL, password)
    // A session signed in with the old password belongs to no one now.
    await deps.secrets.delete(accounts.providerSession(SANDBOX_PROVIDER_ID)).catch(() => false)
  }
}
