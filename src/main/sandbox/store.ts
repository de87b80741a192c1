import { createHash, randomBytes, randomInt, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

const keyRecordSchema = z.object({
  id: z.string(),
  owner: z.string(),
  name: z.string(),
  prefix: z.string(),
  hash: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  active: z.boolean(),
  last_used_at: z.string().nullable(),
  request_count: z.number().int(),
  idempotency_key: z.string().nullable().default(null)
})
export type SandboxKey = z.infer<typeof keyRecordSchema>

const storeSchema = z.object({
  version: z.literal(1),
  jwtSecret: z.string(),
  accounts: z.array(z.object({ id: z.string(), email: z.string(), salt: z.string(), hash: z.string() })),
  refreshTokens: z.array(z.object({ hash: z.string(), accountId: z.string(), expiresAt: z.string() })),
  keys: z.array(keyRecordSchema)
})
type StoreData = z.infer<typeof storeSchema>

export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** A new sandbox key: a prefix (`sbx_`) and 48 unbiased characters from the OS random source. */
export function newKeyValue(prefix = 'sbx_'): string {
  let out = prefix
  for (let i = 0; i < 48; i++) out += ALPHABET[randomInt(ALPHABET.length)]
  return out
}

/**
 * The sandbox service's own data: accounts (scrypt password hashes), refresh tokens and keys, all
 * stored as hashes only, in one owner-only JSON file in the data folder.
 */
export async function openSandboxStore(dataDir: string) {
  const file = join(dataDir, 'sandbox-service.json')
  let data: StoreData
  try {
    data = storeSchema.parse(JSON.parse(await readFile(file, 'utf8')))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`The sandbox data file ${file} is damaged: ${(error as Error).message}`, { cause: error })
    data = { version: 1, jwtSecret: randomBytes(32).toString('base64url'), accounts: [], refreshTokens: [], keys: [] }
  }
  const byHash = new Map(data.keys.map((k) => [k.hash, k]))
  let queue: Promise<unknown> = Promise.resolve()
  let dirty = false
  const save = () => {
    dirty = true
    const run = queue.then(async () => {
      if (!dirty) return
      dirty = false
      await writeFileAtomic(file, JSON.stringify(data), { mode: 0o600 })
    })
    queue = run.catch(() => undefined)
    return run
  }
  await save()

  return {
    jwtSecret: () => new TextEncoder().encode(data.jwtSecret),
    async register(email: string, password: string): Promise<'created' | 'exists'> {
      if (data.accounts.some((a) => a.email === email)) return 'exists'
      const salt = randomBytes(16)
      const hash = await scrypt(password, salt, 32)
      data.accounts.push({ id: randomUUID(), email, salt: salt.toString('hex'), hash: hash.toString('hex') })
      await save()
      return 'created'
    },
    async checkPassword(email: string, password: string) {
      const account = data.accounts.find((a) => a.email === email)
      if (!account) return undefined
      const hash = await scrypt(password, Buffer.from(account.salt, 'hex'), 32)
      return timingSafeEqual(hash, Buffer.from(account.hash, 'hex')) ? account : undefined
    },
    /**
     * Gives an account a new password (its keys stay), ending its sessions. Only in-process, by the
     * Keywarden that serves this vault's sandbox: never over HTTP.
     */
    async setPassword(email: string, password: string): Promise<void> {
      const account = data.accounts.find((a) => a.email === email)
      if (!account) return
      const salt = randomBytes(16)
      account.salt = salt.toString('hex')
      account.hash = (await scrypt(password, salt, 32)).toString('hex')
      data.refreshTokens = data.refreshTokens.filter((t) => t.accountId !== account.id)
      await save()
    },
    account: (id: string) => data.accounts.find((a) => a.id === id),
    accountCount: () => data.accounts.length,
    hasAccount: (email: string) => data.accounts.some((a) => a.email === email),
    async addRefreshToken(accountId: string, token: string, expiresAt: Date) {
      data.refreshTokens = data.refreshTokens.filter((t) => Date.parse(t.expiresAt) > Date.now())
      data.refreshTokens.push({ hash: sha256(token), accountId, expiresAt: expiresAt.toISOString() })
      await save()
    },
    refreshAccount(token: string, at: Date) {
      const t = data.refreshTokens.find((x) => x.hash === sha256(token))
      return t && Date.parse(t.expiresAt) > at.getTime() ? t.accountId : undefined
    },
    keysOf: (owner: string) => data.keys.filter((k) => k.owner === owner),
    findByValue: (value: string) => byHash.get(sha256(value)),
    findById: (owner: string, id: string) => data.keys.find((k) => k.id === id && k.owner === owner),
    findByIdempotency: (owner: string, token: string) => data.keys.find((k) => k.owner === owner && k.idempotency_key === token),
    async addKey(record: Omit<SandboxKey, 'hash'>, value: string) {
      const key = { ...record, hash: sha256(value) }
      data.keys.push(key)
      byHash.set(key.hash, key)
      await save()
      return key
    },
    async removeKey(key: SandboxKey) {
      data.keys = data.keys.filter((k) => k !== key)
      byHash.delete(key.hash)
      await save()
    },
    /** Usage counters change on every request: written, but not awaited by the request. */
    touch(key: SandboxKey, at: Date) {
      key.last_used_at = at.toISOString()
      key.request_count++
      void save()
    },
    changed: save,
    flush: () => queue
  }
}

export type SandboxStore = Awaited<ReturnType<typeof openSandboxStore>>

/** The secret a running sandbox proves itself with, read from its data folder (owner-only). */
export async function readSandboxSecret(dataDir: string): Promise<Uint8Array | undefined> {
  try {
    const data = storeSchema.parse(JSON.parse(await readFile(join(dataDir, 'sandbox-service.json'), 'utf8')))
    return new TextEncoder().encode(data.jwtSecret)
  } catch {
    return undefined
  }
}
