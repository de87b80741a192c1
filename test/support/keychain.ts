import { randomUUID } from 'node:crypto'
import { createKeytarStore } from '../../src/main/vault/secret-store'

/** A keychain service of its own in the private keychain session, for a test's vault. */
export const testKeychain = (label = 'test') => createKeytarStore({ service: `Keywarden test ${label} ${randomUUID()}` })
