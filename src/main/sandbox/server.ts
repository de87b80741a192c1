import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, jwtVerify } from 'jose'
import { z } from 'zod'
import { HttpError, parse, readJson } from './request'
import { handleMcp } from './mcp'
import { createRateLimiter } from './rate-limit'
import { guardRequest } from './request-guard'
import { newKeyValue, openSandboxStore, type SandboxKey, type SandboxStore } from './store'

export const API_BASE_PATH = '/api/v2/external'
const ACCESS_TTL_S = 15 * 60
const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000

export interface SandboxOptions {
  dataDir: string
  port?: number
  host?: string
  rateLimit?: { requestsPerWindow: number; windowMs: number }
  /** New accounts: at most `perWindow` per window, and `total` in all (one person's local service). */
  registration?: { perWindow: number; windowMs: number; total: number }
  now?: () => Date
  /** The prefix of the keys it issues; `sbx_` unless it stands in for another service in tests. */
  keyPrefix?: string
}

export interface RunningSandbox {
  /** Base URL of the key API, laid out like Lyceum's. */
  url: string
  mcpUrl: string
  port: number
  store: SandboxStore
  close(): Promise<void>
}

const loginBody = z.object({ email: z.string().min(3).max(320), password: z.string().min(8).max(1000) })
const refreshBody = z.object({ refresh_token: z.string().min(10).max(500) })
const createBody = z.object({ name: z.string().trim().min(1).max(200), expires_at: z.string().datetime({ offset: true }).nullish() })
const validateBody = z.object({ api_key: z.string().min(1).max(1000) })

/**
 * The Local sandbox key service: Lyceum's key API (login, refresh, list, create, revoke, toggle,
 * validate) plus an MCP endpoint that admits only valid, active keys. Keys are stored hashed.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date())
  const keyPrefix = options.keyPrefix ?? 'sbx_'
  const store = await openSandboxStore(options.dataDir)
  const limits = createRateLimiter({ ...(options.rateLimit ?? { requestsPerWindow: 600, windowMs: 60_000 }), now: () => now().getTime() })
  const registration = options.registration ?? { perWindow: 5, windowMs: 10 * 60_000, total: 20 }
  const registrations = createRateLimiter({
    requestsPerWindow: registration.perWindow,
    windowMs: registration.windowMs,
    now: () => now().getTime()
  })

  const record = (k: SandboxKey) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: k.created_at,
    expires_at: k.expires_at,
    is_active: k.active,
    last_used_at: k.last_used_at,
    request_count: k.request_count
  })
  const usable = (k: SandboxKey | undefined): k is SandboxKey =>
    Boolean(k && k.active && (!k.expires_at || Date.parse(k.expires_at) > now().getTime()))

  async function issueTokens(accountId: string) {
    const access = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(accountId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(now().getTime() / 1000) + ACCESS_TTL_S)
      .sign(store.jwtSecret())
    const refresh = randomBytes(32).toString('base64url')
    await store.addRefreshToken(accountId, refresh, new Date(now().getTime() + REFRESH_TTL_MS))
    return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: ACCESS_TTL_S }
  }

  /** The account behind a bearer JWT or an active API key (Lyceum accepts either). */
  async function authenticate(req: IncomingMessage): Promise<{ accountId: string; credential: string }> {
    const header = req.headers.authorization ?? ''
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim()
    if (!token) throw new HttpError(401, 'Not authenticated', { 'www-authenticate': 'Bearer' })
    if (token.startsWith(keyPrefix)) {
      const key = store.findByValue(token)
      if (!usable(key)) throw new HttpError(401, 'Invalid API Key')
      store.touch(key, now())
      return { accountId: key.owner, credential: key.id }
    }
    try {
      const { payload } = await jwtVerify(token, store.jwtSecret(), { currentDate: now() })
      if (!payload.sub || !store.account(payload.sub)) throw new Error('unknown account')
      return { accountId: payload.sub, credential: payload.sub }
    } catch {
      throw new HttpError(401, 'Token expired or invalid; sign in again', { 'www-authenticate': 'Bearer' })
    }
  }

  function limit(credential: string): void {
    const wait = limits.hit(credential)
    if (wait > 0) throw new HttpError(429, 'Rate limit exceeded', { 'retry-after': String(wait) })
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): Promise<unknown> {
    const method = req.method ?? 'GET'
    if (path === '/health' && method === 'GET') {
      // Proof that this is the sandbox of the data folder the caller owns: only a reader of that
      // folder's sandbox-service.json can compute it (see discover.ts).
      const challenge = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('challenge')
      const proof = challenge && challenge.length <= 200 ? identityProof(store.jwtSecret(), challenge) : undefined
      return { service: 'keywarden-sandbox', ok: true, ...(proof ? { proof } : {}) }
    }
    if (path === '/mcp') {
      const value = (/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? String(req.headers['x-api-key'] ?? '')).trim()
      const key = value ? store.findByValue(value) : undefined
      if (!usable(key)) throw new HttpError(401, 'Invalid API Key', { 'www-authenticate': 'Bearer' })
      limit(key.id)
      store.touch(key, now())
      await handleMcp(req, res, body, key)
      return undefined
    }
    if (!path.startsWith(API_BASE_PATH)) throw new HttpError(404, 'Not found')
    const p = path.slice(API_BASE_PATH.length)

    if (p === '/auth/register' && method === 'POST') {
      const { email, password } = parse(loginBody, body)
      if (store.accountCount() >= registration.total && !store.hasAccount(email)) {
        throw new HttpError(403, 'This local sandbox has as many accounts as it allows')
      }
      if (!store.hasAccount(email)) {
        const wait = registrations.hit('register')
        if (wait > 0) throw new HttpError(429, 'Too many new accounts; try again later', { 'retry-after': String(wait) })
      }
      const outcome = await store.register(email, password)
      if (outcome === 'exists') throw new HttpError(409, 'An account with this email exists')
      res.statusCode = 201
      return { email }
    }
    if (p === '/auth/login' && method === 'POST') {
      const { email, password } = parse(loginBody, body)
      limit(`login:${email}`)
      const account = await store.checkPassword(email, password)
      if (!account) throw new HttpError(401, 'Incorrect email or password')
      return issueTokens(account.id)
    }
    if (p === '/auth/refresh' && method === 'POST') {
      const { refresh_token } = parse(refreshBody, body)
      const accountId = store.refreshAccount(refresh_token, now())
      if (!accountId) throw new HttpError(401, 'Refresh token expired or invalid; sign in again')
      return issueTokens(accountId)
    }
    if (p === '/auth/api-keys/validate' && method === 'POST') {
      const { api_key } = parse(validateBody, body)
      const key = store.findByValue(api_key)
      limit(`validate:${key?.id ?? 'unknown'}`)
      if (!usable(key)) throw new HttpError(401, 'Invalid API Key')
      const account = store.account(key.owner)
      return {
        valid: true,
        user_id: key.owner,
        email: account?.email ?? null,
        key_name: key.name,
        created_at: key.created_at,
        expires_at: key.expires_at
      }
    }
    if (p === '/auth/api-keys/' || p === '/auth/api-keys') {
      const { accountId, credential } = await authenticate(req)
      limit(credential)
      if (method === 'GET') return store.keysOf(accountId).map(record)
      if (method === 'POST') {
        const input = parse(createBody, body)
        const idem = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'].slice(0, 200) : null
        const earlier = idem ? store.findByIdempotency(accountId, idem) : undefined
        // The value is shown once only: a repeated request learns the key exists, not its value.
        if (earlier) throw new HttpError(409, `A key was already created for this Idempotency-Key (${earlier.id})`)
        const value = newKeyValue(keyPrefix)
        const key = await store.addKey(
          {
            id: randomUUID(),
            owner: accountId,
            name: input.name,
            prefix: value.slice(0, 8),
            created_at: now().toISOString(),
            expires_at: input.expires_at ?? null,
            active: true,
            last_used_at: null,
            request_count: 0,
            idempotency_key: idem
          },
          value
        )
        res.statusCode = 201
        return { ...record(key), api_key: value }
      }
      throw new HttpError(405, 'Method not allowed')
    }
    const m = /^\/auth\/api-keys\/([\w-]{1,100})(\/toggle)?$/.exec(p)
    if (m) {
      const { accountId, credential } = await authenticate(req)
      limit(credential)
      const key = store.findById(accountId, m[1]!)
      if (!key) throw new HttpError(404, 'API key not found')
      if (m[2] && method === 'PATCH') {
        key.active = !key.active
        await store.changed()
        return record(key)
      }
      if (!m[2] && method === 'DELETE') {
        await store.removeKey(key)
        res.statusCode = 204
        return undefined
      }
      throw new HttpError(405, 'Method not allowed')
    }
    throw new HttpError(404, 'Not found')
  }

  let port = 0
  const server = createServer((req, res) => {
    void handle(req, res)
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      guardRequest(req, port)
      const path = new URL(req.url ?? '/', 'http://sandbox').pathname
      const body = await readJson(req)
      const result = await route(req, res, path, body)
      if (res.headersSent || res.writableEnded) return
      if (result === undefined) {
        if (res.statusCode === 200) res.statusCode = 204
        res.end()
        return
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(result))
    } catch (error) {
      if (res.headersSent) return void res.end()
      const e = error instanceof HttpError ? error : new HttpError(500, 'Internal error')
      res.writeHead(e.status, { 'content-type': 'application/json', ...e.headers })
      res.end(JSON.stringify({ detail: e.message }))
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}${API_BASE_PATH}`,
    mcpUrl: `${origin}/mcp`,
    port,
    store,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await store.flush()
    }
  }
}

/** The answer to a /health challenge, keyed by the service's own secret. */
export function identityProof(secret: Uint8Array, challenge: string): string {
  return createHmac('sha256', secret).update(`keywarden-sandbox-identity:${challenge}`).digest('base64url')
}
