import { request } from 'node:http'
import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox, type RunningSandbox } from '../../../src/main/sandbox/server'
import { createRateLimiter } from '../../../src/main/sandbox/rate-limit'
import { findRunningSandbox } from '../../../src/main/sandbox/discover'
import { testContext } from '../../support/context'
import { tempFolder } from '../../support/temp-folder'

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.close()
})

async function sandbox(options: Partial<Parameters<typeof startSandbox>[0]> = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ dataDir: await tempFolder('kw-sbx-'), ...options })
  running.push(s)
  return s
}

/** A raw HTTP request, so Host and Origin can be whatever a hostile page makes them. */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: unknown }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { 'content-type': 'application/json', ...options.headers }
      },
      (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      }
    )
    req.on('error', reject)
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body))
  })
}
const account = (n: number | string) => ({ email: `person${n}@example.com`, password: 'correct horse battery' })

describe('the sandbox service refuses what a web page can send', () => {
  it('refuses any Host but a loopback name (DNS rebinding)', async () => {
    const s = await sandbox()
    const register = '/api/v2/external/auth/register'
    for (const host of ['attacker.example', `attacker.example:${s.port}`, `127.0.0.1.nip.io:${s.port}`]) {
      const res = await send(s.port, { method: 'POST', path: register, headers: { host }, body: account(host.length) })
      expect(res.status, host).toBe(421)
    }
    expect(s.store.accountCount()).toBe(0)
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`]) {
      expect((await send(s.port, { path: '/health', headers: { host } })).status, host).toBe(200)
    }
  })

  it('refuses cross-origin browser requests: a web page’s Origin, null, cross-site fetch metadata, preflights', async () => {
    const s = await sandbox()
    const register = '/api/v2/external/auth/register'
    const hostile: Record<string, string>[] = [
      { origin: 'https://attacker.example' },
      { origin: 'http://localhost:3000' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' }
    ]
    for (const headers of hostile) {
      const res = await send(s.port, { method: 'POST', path: register, headers, body: account(JSON.stringify(headers).length) })
      expect(res.status, JSON.stringify(headers)).toBe(403)
    }
    expect((await send(s.port, { method: 'OPTIONS', path: register, headers: { origin: 'https://attacker.example' } })).status).toBe(403)
    expect(s.store.accountCount()).toBe(0)
    // Programs send no Origin; a local app's own scheme is not a web page.
    expect((await send(s.port, { method: 'POST', path: register, body: account('cli') })).status).toBe(201)
    expect(
      (await send(s.port, { method: 'POST', path: register, headers: { origin: 'vscode-file://vscode-app' }, body: account('app') })).status
    ).toBe(201)
  })

  it('limits registration: a few new accounts per window, a cap in all; an existing one is still answered', async () => {
    const s = await sandbox({ registration: { perWindow: 3, windowMs: 60_000, total: 5 } })
    const register = (n: number | string) => send(s.port, { method: 'POST', path: '/api/v2/external/auth/register', body: account(n) })
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await register(i)).status)
    expect(statuses).toEqual([201, 201, 201, 429, 429])
    expect((await register(0)).status).toBe(409)
    const capped = await sandbox({ registration: { perWindow: 100, windowMs: 60_000, total: 2 } })
    const capStatuses = []
    for (let i = 0; i < 4; i++)
      capStatuses.push((await send(capped.port, { method: 'POST', path: '/api/v2/external/auth/register', body: account(i) })).status)
    expect(capStatuses).toEqual([201, 201, 403, 403])
  })

  it('its rate limiter cannot be reset by flooding it with made-up credentials', () => {
    let now = 0
    const limiter = createRateLimiter({ requestsPerWindow: 3, windowMs: 60_000, now: () => now, maxTracked: 1000 })
    for (let i = 0; i < 3; i++) expect(limiter.hit('login:victim@example.com')).toBe(0)
    expect(limiter.hit('login:victim@example.com')).toBeGreaterThan(0)
    for (let i = 0; i < 20_000; i++) limiter.hit(`login:made-up-${i}@example.com`)
    expect(limiter.hit('login:victim@example.com')).toBeGreaterThan(0)
    // The flood itself is limited as one, and a window that ran out does start afresh.
    expect(limiter.hit('login:one-more@example.com')).toBeGreaterThan(0)
    now += 60_000
    expect(limiter.hit('login:victim@example.com')).toBe(0)
  })
})

describe('the command line and the saved sandbox port', () => {
  it('sends nothing to a program that now holds the port and claims to be the sandbox', async () => {
    const { ctx } = await testContext()
    const port = ctx.services.vault.settings.get().sandboxPort!
    const dataDir = ctx.dataDir
    const secrets = ctx.secrets
    await ctx.close()
    // An impostor answers health checks like the sandbox and records everything it is sent.
    const seen: Array<{ method?: string; url?: string; body: string; authorization?: string }> = []
    const impostor: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body, authorization: req.headers.authorization })
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ service: 'keywarden-sandbox', ok: true, proof: 'forged' }))
      })
    })
    await new Promise<void>((ok) => impostor.listen(port, '127.0.0.1', ok))
    running.push({ close: () => new Promise<void>((ok) => impostor.close(() => ok())) })
    expect(await findRunningSandbox(port, dataDir)).toBeUndefined()
    const { ctx: cli } = await testContext({ dataDir, secrets, sandbox: 'attach' })
    running.push(cli)
    expect(cli.services.sandbox?.url).not.toContain(`:${port}/`)
    expect(seen.every((r) => r.method === 'GET' && r.url?.startsWith('/health') && !r.body && !r.authorization)).toBe(true)
    expect(JSON.stringify(seen)).not.toContain('password')
  })

  it('attaches to this vault’s own sandbox, which proves itself', async () => {
    const { ctx } = await testContext()
    running.push(ctx)
    const port = ctx.services.vault.settings.get().sandboxPort!
    expect(await findRunningSandbox(port, ctx.dataDir)).toMatchObject({ url: expect.stringContaining(`:${port}/`) })
    // Another vault's sandbox does not pass as this one's.
    const other = await sandbox()
    expect(await findRunningSandbox(other.port, ctx.dataDir)).toBeUndefined()
  })
})
