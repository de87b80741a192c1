import type { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import type { RemoteKeyInfo } from './adapter'
import { unexpectedResponse, type createHttpClient } from './http'
import {
  quickKeyList,
  wireCreatedKeySchema,
  wireKeyListSchema,
  wireKeySchema,
  wireTokenSchema,
  wireValidationSchema,
  type WireKey
} from './key-api-schemas'
import type { Session } from './session-cache'
import { safeDetail } from '../vault/redaction'
import { cleanName, cleanPrefix, ISO_UTC } from './remote-record'

type Http = ReturnType<typeof createHttpClient>
export type Credentials = { kind: 'password'; email: string; password: string } | { kind: 'apiKey'; key: string }

const REFRESH_MARGIN_MS = 60_000

/** Lyceum's documented paths; a custom service of the same shape may name its own. */
export const lyceumKeyApiPaths = {
  list: '/auth/api-keys/',
  create: '/auth/api-keys/',
  revoke: '/auth/api-keys/{id}',
  toggle: '/auth/api-keys/{id}/toggle',
  validate: '/auth/api-keys/validate',
  login: '/auth/login',
  refresh: '/auth/refresh'
}
export type KeyApiPathMap = typeof lyceumKeyApiPaths

/** A refusal that says the saved session is no good (as opposed to the service being down). */
const sessionRefused = (error: unknown) =>
  error instanceof KeywardenError &&
  ['unauthorized', 'provider-rejected', 'not-found', 'conflict', 'invalid-input', 'provider-bad-response'].includes(error.code)

/** The wire record as Keywarden keeps it: dates in ISO form, prefix and name cleaned, in one pass. */
const toRemote = (w: WireKey): RemoteKeyInfo => {
  const prefix = cleanPrefix(w.prefix)
  return {
    remoteId: w.id,
    name: cleanName(w.name, prefix),
    prefix,
    createdAt: normaliseDate(w.created_at),
    expiresAt: w.expires_at ? normaliseDate(w.expires_at) : undefined,
    active: w.is_active,
    lastUsedAt: w.last_used_at ? normaliseDate(w.last_used_at) : undefined,
    requestCount: w.request_count ?? undefined
  }
}

function normaliseDate(value: string): string {
  if (ISO_UTC.test(value)) return value
  const t = Date.parse(value)
  if (Number.isNaN(t))
    throw new KeywardenError('provider-bad-response', `The service sent a date Keywarden cannot read ("${safeDetail(value, 40)}").`)
  return new Date(t).toISOString()
}

/**
 * A client for the Lyceum-style key API (Lyceum itself, the Local sandbox, custom services of the
 * same shape). Interactive sign-in uses a JWT that is refreshed before it expires and kept by the
 * caller's token cache (the keychain); an existing API key can be the bearer instead.
 */
export function createKeyApiClient(options: {
  baseUrl: string
  http: Http
  serviceName: string
  credentials: () => Promise<Credentials>
  tokenCache: { get(): Promise<Session | null>; set(session: Session | null): Promise<void> }
  now?: () => Date
  paths?: Partial<KeyApiPathMap>
  /** What the person reads, in place of the service's own words, when it refuses the saved sign-in. */
  signInRefused?: string
}) {
  const now = options.now ?? (() => new Date())
  const base = options.baseUrl.replace(/\/+$/, '')
  const service = options.serviceName
  const paths = { ...lyceumKeyApiPaths, ...options.paths }
  const url = (path: keyof KeyApiPathMap, id?: string) =>
    `${base}${paths[path].replace('{id}', id === undefined ? '' : encodeURIComponent(id))}`
  let pending: Promise<string> | undefined

  async function login(credentials: Extract<Credentials, { kind: 'password' }>): Promise<Session> {
    const token = await options.http
      .request(wireTokenSchema, {
        method: 'POST',
        url: url('login'),
        json: { email: credentials.email, password: credentials.password },
        serviceName: service,
        // Signing in mints nothing that could be lost: safe to repeat after a timeout.
        idempotent: true
      })
      .catch((error: unknown) => {
        if (options.signInRefused && error instanceof KeywardenError && error.code === 'unauthorized')
          throw new KeywardenError('unauthorized', options.signInRefused, { cause: error })
        throw error
      })
    return sessionFrom(token)
  }

  function sessionFrom(token: z.infer<typeof wireTokenSchema>, previousRefresh?: string): Session {
    const refreshToken = token.refresh_token ?? previousRefresh
    if (!refreshToken) throw new KeywardenError('provider-bad-response', `${service} did not send a refresh token.`)
    return {
      accessToken: token.access_token,
      refreshToken,
      expiresAt: new Date(now().getTime() + (token.expires_in ?? 900) * 1000).toISOString()
    }
  }

  /**
   * A bearer for the management API: an API key, or a JWT refreshed ahead of its expiry. A refresh
   * the service refuses (401, 400, …) clears the session and signs in again; calls made meanwhile
   * share the one refresh or sign-in.
   */
  function bearer(forceNew = false): Promise<string> {
    pending ??= freshBearer(forceNew).finally(() => (pending = undefined))
    return pending
  }

  async function freshBearer(forceNew: boolean): Promise<string> {
    const credentials = await options.credentials()
    if (credentials.kind === 'apiKey') return credentials.key
    let session = forceNew ? null : await options.tokenCache.get()
    if (session && Date.parse(session.expiresAt) - now().getTime() < REFRESH_MARGIN_MS) {
      try {
        const token = await options.http.request(wireTokenSchema, {
          method: 'POST',
          url: url('refresh'),
          json: { refresh_token: session.refreshToken },
          serviceName: service
        })
        session = sessionFrom(token, session.refreshToken)
        await options.tokenCache.set(session)
      } catch (error) {
        if (!sessionRefused(error)) throw error
        await options.tokenCache.set(null)
        session = null
      }
    }
    if (!session) {
      session = await login(credentials)
      await options.tokenCache.set(session)
    }
    return session.accessToken
  }

  /** Runs a management call; on a 401 with a cached session, signs in again once and retries. */
  async function managed<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await bearer())
    } catch (error) {
      if (error instanceof KeywardenError && error.code === 'unauthorized' && (await options.credentials()).kind === 'password') {
        await options.tokenCache.set(null)
        return call(await bearer(true))
      }
      throw error
    }
  }

  const auth = (token: string) => ({ authorization: `Bearer ${token}` })

  return {
    login: async () => {
      const c = await options.credentials()
      if (c.kind !== 'password') return
      await options.tokenCache.set(await login(c))
    },
    listKeys: () =>
      managed(async (t) => {
        const body = await options.http.json({
          method: 'GET',
          url: url('list'),
          headers: auth(t),
          serviceName: service,
          maxBytes: LIST_MAX_BYTES
        })
        let list = quickKeyList(body)
        if (!list) {
          const parsed = wireKeyListSchema.safeParse(body)
          if (!parsed.success) throw unexpectedResponse(service, parsed.error)
          list = parsed.data
        }
        return list.map(toRemote)
      }),
    createKey: (input: { name: string; expiresAt?: string; idempotencyKey?: string }) =>
      managed(async (t) => {
        const created = await options.http.request(wireCreatedKeySchema, {
          method: 'POST',
          url: url('create'),
          headers: { ...auth(t), ...(input.idempotencyKey ? { 'idempotency-key': input.idempotencyKey } : {}) },
          json: { name: input.name, expires_at: input.expiresAt ?? null },
          serviceName: service
        })
        return { record: toRemote(created), value: created.api_key }
      }),
    revokeKey: (id: string) =>
      managed((t) => options.http.send({ method: 'DELETE', url: url('revoke', id), headers: auth(t), serviceName: service })),
    toggleKey: (id: string) =>
      managed(async (t) =>
        toRemote(
          await options.http.request(wireKeySchema, { method: 'PATCH', url: url('toggle', id), headers: auth(t), serviceName: service })
        )
      ),
    /** Asks the service about a key without using it; an invalid key is an answer, not an error. */
    async validateKey(value: string): Promise<{ valid: true; keyName?: string; expiresAt?: string } | { valid: false; reason: string }> {
      try {
        const r = await options.http.request(wireValidationSchema, {
          method: 'POST',
          url: url('validate'),
          json: { api_key: value },
          serviceName: service,
          idempotent: true
        })
        if (r.valid === false) return { valid: false, reason: 'Invalid API Key' }
        return { valid: true, keyName: r.key_name ?? undefined, expiresAt: r.expires_at ?? undefined }
      } catch (error) {
        if (!(error instanceof KeywardenError)) throw error
        // A 404 that does not speak of the key is the address, not the key: a wrong base URL must
        // not make every key look invalid.
        if (error.code === 'not-found' && !/\bkey\b/i.test(error.message)) {
          throw new KeywardenError(
            'not-found',
            `${service} has no key check at ${url('validate')}. Check the API base URL in the provider's settings.`
          )
        }
        if (error.code === 'unauthorized' || error.code === 'provider-rejected' || error.code === 'not-found')
          return { valid: false, reason: error.message }
        throw error
      }
    }
  }
}

/** A list of up to 100,000 keys is far larger than any other answer; other answers keep the default cap. */
const LIST_MAX_BYTES = 64 * 1024 * 1024
