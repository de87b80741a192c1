import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import { recognise } from '../keys/import'
import { outcomeOf } from '../providers/mcp-probe'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import { accounts } from '../vault/secret-store'
import type { RotationCore, RotationDeps } from './core'
import type { createClientUpdates } from './client-updates'

/**
 * The steps a person does in a service's dashboard. A pasted key is shown once by the service, so
 * it goes to the keychain (and the journal says so) before it is checked: a check that fails for
 * any reason but a definite "no" loses nothing, and resuming checks the saved value again.
 */
export function createDashboardSteps(deps: RotationDeps, core: RotationCore, clients: ReturnType<typeof createClientUpdates>) {
  const { advance, patch, fail, keyById, providerOf, adapterOf, storeNewKey, retireKey, stamp } = core

  async function check(r: Rotation, value: string): Promise<Rotation> {
    const provider = providerOf(keyById(r.keyId))
    let result
    try {
      result = await adapterOf(r).validateKey(value)
    } catch (error) {
      const message = error instanceof KeywardenError ? error.message : (error as Error).message
      return fail(
        r,
        new KeywardenError(
          'provider-unreachable',
          `Could not check the new key: ${message} It is saved in your keychain; resume to check it again.`
        )
      )
    }
    const outcome = outcomeOf(result)
    if (outcome === 'unreachable') {
      return fail(
        r,
        new KeywardenError(
          'provider-unreachable',
          `Could not check the new key: ${result.message} It is saved in your keychain; resume to check it again.`
        )
      )
    }
    if (outcome === 'rejected') {
      await deps.secrets.delete(accounts.key(r.newKeyId)).catch(() => false)
      await patch(r, { newValueSaved: false })
      throw new KeywardenError('provider-rejected', `${result.message} Paste the new ${provider.name} key again.`)
    }
    await storeNewKey(r, value, {
      providerId: r.providerId,
      name: r.newName,
      prefix: maskSecret(value).slice(0, -1),
      createdAt: stamp(),
      status: 'active',
      scopes: keyById(r.keyId).scopes
    })
    return advance(r, 'created', { newValueSaved: false }, `new key ${maskSecret(value)} checked`)
  }

  return {
    /** The person pasted the key they created in the dashboard: keychain and journal first, then the check. */
    async provideNewKey(r: Rotation, pasted: string): Promise<Rotation> {
      if (r.state !== 'awaiting-new-key') throw new KeywardenError('conflict', 'This rotation is not waiting for a new key.')
      const value = pasted.trim()
      const old = keyById(r.keyId)
      const provider = providerOf(old)
      const recognised = recognise(value, deps.vault.providers.list())
      if (recognised.kind && recognised.kind !== provider.kind) {
        throw new KeywardenError('invalid-input', `That is a ${recognised.label} key; paste the new ${provider.name} key.`)
      }
      if (fingerprint(value) === old.fingerprint)
        throw new KeywardenError('invalid-input', 'That is the old key. Create a new one in the dashboard and paste it.')
      await deps.secrets.set(accounts.key(r.newKeyId), value)
      r = await patch(r, { newValueSaved: true, error: undefined })
      return check(r, value)
    },

    /** Resumed at awaiting-new-key with a value saved before: check it again. */
    async checkSaved(r: Rotation): Promise<Rotation> {
      const value = await deps.secrets.get(accounts.key(r.newKeyId))
      if (!value) return r.newValueSaved ? patch(r, { newValueSaved: false }) : r
      return check(r, value)
    },

    /** The person says the old key is revoked; only a definite rejection by the service counts. */
    async confirmRevoked(r: Rotation): Promise<Rotation | 'clients-changed'> {
      if (r.state !== 'awaiting-revoke') throw new KeywardenError('conflict', 'This rotation is not waiting for the old key to be revoked.')
      const ready = await clients.beforeRevoke(r)
      if (ready !== 'ready') return 'clients-changed'
      const old = keyById(r.keyId)
      const provider = providerOf(old)
      const oldValue = await deps.secrets.get(accounts.key(r.keyId))
      if (oldValue) {
        const result = await adapterOf(r).validateKey(oldValue)
        const outcome = outcomeOf(result)
        if (outcome === 'accepted')
          throw new KeywardenError(
            'conflict',
            `${provider.name} still accepts the old key (${old.prefix}…). Revoke it in the dashboard, then confirm again.`
          )
        if (outcome === 'unreachable') {
          throw new KeywardenError(
            'provider-unreachable',
            `Could not check that ${provider.name} rejects the old key: ${result.message} Confirm again when it answers.`
          )
        }
      }
      clients.assertAllOnNewKey(r)
      await retireKey(r.keyId)
      await core.handOverName(r)
      return advance(r, 'done', {}, 'old key rejected by the service')
    }
  }
}
