import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { KeywardenError } from '../../../shared/errors'
import type { SecretStore } from '../../vault/secret-store'

/**
 * Backups are encrypted rather than stored with each secret replaced by a keychain reference: a
 * backup is the byte-exact earlier file, and that file may hold secrets Keywarden never knew (other
 * tools' tokens in ~/.claude.json). References could only hide the keys the vault holds; encryption
 * hides everything and still gives undo the exact bytes back. The data key lives in the OS keychain,
 * under this vault's own keychain service, and never on disk.
 */
export const DATA_KEY_ACCOUNT = 'backups:data-key'
const MAGIC = Buffer.from('KWB1')
const IV_BYTES = 12
const TAG_BYTES = 16

export interface BackupCipher {
  /**
   * Seals the plaintext given in pieces; returns the sealed form in pieces too, so a caller joins
   * them once with what comes before (a backup holds a large file: each copy of it costs).
   */
  encrypt(plain: Buffer[], context: string): Promise<Buffer[]>
  decrypt(sealed: Buffer, context: string): Promise<Buffer>
}

/** AES-256-GCM with the vault's backup key; `context` (the change id and part) is bound in as AAD. */
export function keychainCipher(keychain: SecretStore): BackupCipher {
  let key: Promise<Buffer> | undefined
  const dataKey = () =>
    (key ??= loadOrCreate(keychain).catch((error: unknown) => {
      key = undefined
      throw error
    }))
  return {
    async encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', await dataKey(), iv)
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const body = plain.map((part) => cipher.update(part))
      const last = cipher.final()
      return [MAGIC, iv, ...body, last, cipher.getAuthTag()]
    },
    async decrypt(sealed, context) {
      if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new KeywardenError('internal', 'This backup is not in a format Keywarden can read; it cannot be used for undo.')
      }
      const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES)
      const body = sealed.subarray(MAGIC.length + IV_BYTES, sealed.length - TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', await dataKey(), iv)
      decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
      try {
        return Buffer.concat([decipher.update(body), decipher.final()])
      } catch (error) {
        throw new KeywardenError(
          'internal',
          'This backup does not open with this vault’s backup key (damaged, or made by another vault); it cannot be used for undo.',
          { cause: error }
        )
      }
    }
  }
}

async function loadOrCreate(keychain: SecretStore): Promise<Buffer> {
  const saved = await keychain.get(DATA_KEY_ACCOUNT)
  if (saved) {
    const bytes = Buffer.from(saved, 'base64')
    if (bytes.length === 32) return bytes
  }
  const fresh = randomBytes(32)
  await keychain.set(DATA_KEY_ACCOUNT, fresh.toString('base64'))
  // Read back: a second process that raced here has then stored its own; both use what won.
  const stored = await keychain.get(DATA_KEY_ACCOUNT)
  return stored ? Buffer.from(stored, 'base64') : fresh
}
