import { KeywardenError } from '../../shared/errors'
import { replaceKeyAdvice, type BoundKey } from './bound-key'

/** The binding's key as the bridge sends it, read again when the server turns it away. */
export interface KeySource {
  /** The key to send now (read once, then kept until the server rejects it). */
  current(): Promise<BoundKey>
  /**
   * After the server rejected `rejected`: the binding's current key, read again from the vault and
   * the keychain. Several requests rejected at once share one read. Returns `undefined` when there
   * is no other key to try, with `rejection` saying why.
   */
  refresh(rejected: BoundKey): Promise<BoundKey | undefined>
  /** Why the last rejected key has no successor, written for a person (the key masked). */
  readonly rejection: string | undefined
  /** Every value seen, so that no outgoing text ever carries one. */
  readonly secrets: string[]
}

export function createKeySource(read: () => Promise<BoundKey>): KeySource {
  let current: Promise<BoundKey> | undefined
  let refreshing: Promise<BoundKey | undefined> | undefined
  let rejection: string | undefined
  const secrets: string[] = []

  const load = () => {
    const attempt = read().then((key) => {
      if (!secrets.includes(key.secret)) secrets.push(key.secret)
      return key
    })
    // A failed read (keychain locked, vault being written) is tried again on the next request.
    attempt.catch(() => {
      if (current === attempt) current = undefined
    })
    return attempt
  }

  return {
    current: () => (current ??= load()),
    refresh(rejected) {
      refreshing ??= (async () => {
        const mine = await current?.catch(() => undefined)
        // Someone else already moved on to a newer key while this request was out.
        if (mine && mine.header.value !== rejected.header.value) return mine
        current = load()
        try {
          const fresh = await current
          if (fresh.header.value !== rejected.header.value) {
            rejection = undefined
            return fresh
          }
          rejection = `${fresh.serverName} rejected Keywarden's key ${fresh.keyLabel}: it was revoked or deactivated at the service, and Keywarden has no newer key for this entry. Rotate the key in Keywarden while it still shows it active (a sync shows what the service says), or: ${replaceKeyAdvice({ id: fresh.bindingId, client: fresh.client })}`
        } catch (error) {
          // The vault's own answer (revoked, no value, binding gone) already says what to do.
          rejection =
            error instanceof KeywardenError
              ? error.message
              : `${rejected.serverName} rejected Keywarden's key ${rejected.keyLabel}, and no newer key could be read: ${error instanceof Error ? error.message : String(error)}`
        }
        return undefined
      })().finally(() => {
        refreshing = undefined
      })
      return refreshing
    },
    get rejection() {
      return rejection
    },
    secrets
  }
}
