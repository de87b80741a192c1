import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../src/main/providers/http'
import { createKeyApiClient } from '../../../src/main/providers/key-api'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import type { Session } from '../../../src/main/providers/session-cache'
import { startSandbox, type RunningSandbox } from '../../../src/main/sandbox/server'
import { tempFolder } from '../../support/temp-folder'

const running: RunningSandbox[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.close()
})

async function sandbox(options: Partial<Parameters<typeof startSandbox>[0]> = {}) {
  const dataDir = await tempFolder('kw-sbx-')
  const s = await startSandbox({ dataDir, ...options })
  running.push(s)
  await fetch(`${s.url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'me@example.com', password: 'correct horse battery' })
  })
  return { s, dataDir }
}

function apiClient(url: string, options: { now?: () => Date; sessions?: Session[]; fetch?: typeof fetch } = {}) {
  let session: Session | null = null
  return createKeyApiClient({
    baseUrl: url,
    http: createHttpClient({ backoffMs: 1, sleep: async () => {}, fetch: options.fetch }),
    serviceName: 'Local sandbox',
    now: options.now,
    credentials: async () => ({ kind: 'password', email: 'me@example.com', password: 'correct horse battery' }),
    tokenCache: {
      get: async () => session,
      set: async (s) => {
        session = s
        if (s) options.sessions?.push(s)
      }
    }
  })
}

describe('Local sandbox key service', () => {
  it('creates, lists, toggles, validates and revokes keys, storing only hashes', async () => {
    const { s, dataDir } = await sandbox()
    const api = apiClient(s.url)
    const { record, value } = await api.createKey({ name: 'laptop', expiresAt: '2030-01-01T00:00:00.000Z' })
    expect(value.startsWith('sbx_')).toBe(true)
    expect(record).toMatchObject({ name: 'laptop', prefix: value.slice(0, 8), active: true, expiresAt: '2030-01-01T00:00:00.000Z' })
    expect((await api.listKeys()).map((k) => k.remoteId)).toEqual([record.remoteId])
    expect(await api.validateKey(value)).toMatchObject({ valid: true, keyName: 'laptop' })

    expect((await api.toggleKey(record.remoteId)).active).toBe(false)
    expect(await api.validateKey(value)).toEqual({ valid: false, reason: 'Invalid API Key' })
    expect((await api.toggleKey(record.remoteId)).active).toBe(true)

    await api.revokeKey(record.remoteId)
    expect(await api.validateKey(value)).toEqual({ valid: false, reason: 'Invalid API Key' })
    expect(await api.listKeys()).toEqual([])

    await s.store.flush()
    const stored = await readFile(join(dataDir, 'sandbox-service.json'), 'utf8')
    const second = await api.createKey({ name: 'still here' })
    await s.store.flush()
    const after = await readFile(join(dataDir, 'sandbox-service.json'), 'utf8')
    expect(stored).not.toContain(value)
    expect(after).not.toContain(second.value)
    expect(after).toContain(second.value.slice(0, 8))
  })

  it('rejects expired keys', async () => {
    const { s } = await sandbox()
    const api = apiClient(s.url)
    const { value } = await api.createKey({ name: 'short-lived', expiresAt: new Date(Date.now() - 1000).toISOString() })
    expect(await api.validateKey(value)).toMatchObject({ valid: false })
  })

  it('refreshes the session before the access token expires, and signs in again after it has', async () => {
    let clock = Date.parse('2026-11-22T10:00:00.000Z')
    const now = () => new Date(clock)
    const { s } = await sandbox({ now })
    const sessions: Session[] = []
    const requests: string[] = []
    const recordingFetch: typeof fetch = (input, init) => {
      requests.push(new URL(String(input)).pathname.replace('/api/v2/external', ''))
      return fetch(input, init)
    }
    const api = apiClient(s.url, { now, sessions, fetch: recordingFetch })
    await api.listKeys()
    expect(requests).toEqual(['/auth/login', '/auth/api-keys/'])
    clock += 14.5 * 60 * 1000 // 30 s before the 15-minute token expires
    await api.listKeys()
    expect(requests.slice(2)).toEqual(['/auth/refresh', '/auth/api-keys/'])
    expect(sessions).toHaveLength(2)
    clock += 60 * 60 * 1000 // long after expiry: refresh still works with the refresh token
    await api.listKeys()
    expect(requests.slice(4)).toEqual(['/auth/refresh', '/auth/api-keys/'])
  })

  it('answers 429 with Retry-After when a credential goes over its limit', async () => {
    const { s } = await sandbox({ rateLimit: { requestsPerWindow: 3, windowMs: 60_000 } })
    const api = apiClient(s.url)
    const { value } = await api.createKey({ name: 'busy' })
    const statuses: Array<[number, string | null]> = []
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${s.url}/auth/api-keys/`, { headers: { authorization: `Bearer ${value}` } })
      statuses.push([res.status, res.headers.get('retry-after')])
    }
    expect(statuses.slice(0, 3).map(([st]) => st)).toEqual([200, 200, 200])
    expect(statuses[3]?.[0]).toBe(429)
    expect(Number(statuses[3]?.[1])).toBeGreaterThan(0)
  })

  it('refuses malformed and oversized requests with clear details', async () => {
    const { s } = await sandbox()
    const bad = await fetch(`${s.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ detail: 'Malformed JSON body' })
    const big = await fetch(`${s.url}/auth/login`, { method: 'POST', body: 'x'.repeat(70_000) }).catch(() => null)
    expect(big === null || big.status === 413).toBe(true)
    expect((await fetch(`${s.url}/nope`)).status).toBe(404)
  })

  it('lets an MCP client in with a valid key (Bearer or x-api-key) and keeps revoked keys out', async () => {
    const { s } = await sandbox()
    const api = apiClient(s.url)
    const { record, value } = await api.createKey({ name: 'mcp' })
    expect(
      await probeMcp({ url: s.mcpUrl, header: { name: 'Authorization', value: `Bearer ${value}` }, serviceName: 'Local sandbox' })
    ).toMatchObject({ valid: true })
    expect(await probeMcp({ url: s.mcpUrl, header: { name: 'x-api-key', value }, serviceName: 'Local sandbox' })).toMatchObject({
      valid: true
    })
    await api.revokeKey(record.remoteId)
    const after = await probeMcp({
      url: s.mcpUrl,
      header: { name: 'Authorization', value: `Bearer ${value}` },
      serviceName: 'Local sandbox'
    })
    expect(after).toEqual({ valid: false, outcome: 'rejected', message: "Local sandbox's MCP server rejected the key (HTTP 401)." })
    const listed = (await api.listKeys()).find((k) => k.remoteId === record.remoteId)
    expect(listed).toBeUndefined()
  })

  it('records when and how often a key was used', async () => {
    const { s } = await sandbox()
    const api = apiClient(s.url)
    const { record, value } = await api.createKey({ name: 'counted' })
    await probeMcp({ url: s.mcpUrl, header: { name: 'Authorization', value: `Bearer ${value}` }, serviceName: 'Local sandbox' })
    const listed = (await api.listKeys()).find((k) => k.remoteId === record.remoteId)
    expect(listed?.requestCount).toBeGreaterThan(0)
    expect(listed?.lastUsedAt).toBeDefined()
  })
})
