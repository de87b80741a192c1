import { z } from 'zod'
import type { SecretStore } from '../vault/secret-store'
import { accounts } from '../vault/secret-store'

const sessionSchema = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.string() })
export type Session = z.infer<typeof sessionSchema>

/** Management-API sessions are credentials too: they live in the keychain beside the keys. */
export function keychainTokenCache(secrets: SecretStore, providerId: string) {
  const account = accounts.providerSession(providerId)
  let memo: Session | null | undefined
  return {
    async get(): Promise<Session | null> {
      if (memo !== undefined) return memo
      const raw = await secrets.get(account)
      const parsed = raw ? sessionSchema.safeParse(safeJson(raw)) : null
      memo = parsed?.success ? parsed.data : null
      return memo
    },
    async set(session: Session | null): Promise<void> {
      memo = session
      if (session) await secrets.set(account, JSON.stringify(session))
      else await secrets.delete(account)
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
