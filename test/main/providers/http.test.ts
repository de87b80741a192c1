import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createHttpClient, retryAfterMs } from '../../../src/main/providers/http'
import { startFaultServer } from '../../support/fault-server'

const servers: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})
const serve = async (...r: Parameters<typeof startFaultServer>[0]) => {
  const s = await startFaultServer(r)
  servers.push(s)
  return s
}
const list = z.array(z.object({ id: z.string() }))

function client(waits: number[] = [], extra: Parameters<typeof createHttpClient>[0] = {}) {
  return createHttpClient({ backoffMs: 1, timeoutMs: 500, sleep: async (ms) => void waits.push(ms), ...extra })
}

describe('provider HTTP client', () => {
  it('parses a good answer through its schema', async () => {
    const s = await serve({ body: '[{"id":"a"}]' })
    expect(await client().request(list, { method: 'GET', url: `${s.url}/keys`, serviceName: 'Lyceum' })).toEqual([{ id: 'a' }])
  })

  it('turns a body that is not JSON into a clear error, not a crash', async () => {
    const s = await serve({ body: '<html>502 Bad Gateway</html>' })
    await expect(client().request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject({
      code: 'provider-bad-response',
      message: 'Lyceum sent a response that is not JSON. Nothing was changed; try again later.'
    })
  })

  it('rejects a hostile body that does not match the schema, naming the field', async () => {
    const s = await serve({ body: '[{"id": {"$gt": ""}}]' })
    await expect(client().request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject({
      code: 'provider-bad-response',
      message: expect.stringContaining('0.id')
    })
  })

  it('retries server errors with backoff and succeeds when the service recovers', async () => {
    const s = await serve({ status: 503, body: '{}' }, { status: 500, body: '{}' }, { body: '[]' })
    expect(await client().request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).toEqual([])
    expect(s.requests).toHaveLength(3)
  })

  it('gives up after its retries on a service that keeps failing, with a message to act on', async () => {
    const s = await serve({ status: 500, body: '{}' })
    await expect(client([], { retries: 2 }).request(list, { method: 'GET', url: s.url, serviceName: 'VibeXP' })).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: 'VibeXP had a server error (HTTP 500). Check your connection or that the service is running, then try again.'
    })
    expect(s.requests).toHaveLength(3)
  })

  it('reports an unreachable server by name and address', async () => {
    const s = await serve({ body: '[]' })
    await s.close()
    await expect(
      client([], { retries: 1 }).request(list, { method: 'GET', url: `${s.url}/x`, serviceName: 'Lynxo' })
    ).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining(`Could not reach Lynxo at ${s.url}`)
    })
  })

  it('times out on a server that never answers', async () => {
    const s = await serve({ hang: true })
    const started = Date.now()
    await expect(
      client([], { retries: 1, timeoutMs: 200 }).request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })
    ).rejects.toMatchObject({
      message: expect.stringContaining('Lyceum did not answer within 0.2 s')
    })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('waits out Retry-After through a storm of 429s, then succeeds', async () => {
    const waits: number[] = []
    const s = await serve(
      { status: 429, headers: { 'retry-after': '2' }, body: '{"detail":"Rate limit exceeded"}' },
      { status: 429, headers: { 'retry-after': '3' }, body: '{}' },
      { status: 429, headers: { 'retry-after': '1' }, body: '{}' },
      { body: '[]' }
    )
    expect(await client(waits).request(list, { method: 'GET', url: s.url, serviceName: 'VibeXP' })).toEqual([])
    expect(waits).toEqual([2000, 3000, 1000])
  })

  it('does not sit through a long Retry-After: it says how long to wait instead', async () => {
    const waits: number[] = []
    const s = await serve({ status: 429, headers: { 'retry-after': '3600' }, body: '{}' })
    await expect(client(waits).request(list, { method: 'GET', url: s.url, serviceName: 'VibeXP' })).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'VibeXP says: rate limit exceeded. Try again in 3600 s.'
    })
    expect(waits).toEqual([])
    expect(s.requests).toHaveLength(1)
  })

  it('surfaces the service wording for a bad key and masks any key it echoes back', async () => {
    const s = await serve({ status: 401, body: '{"detail":"Invalid API Key: lk_abcdefghijklmnopqrstuvwx"}' })
    const error = await client()
      .request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum', headers: { authorization: 'Bearer lk_abcdefghijklmnopqrstuvwx' } })
      .catch((e: Error) => e)
    expect(error).toMatchObject({ code: 'unauthorized', message: 'Invalid API Key: lk_…' })
    expect(s.requests).toHaveLength(1)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('5')).toBe(5000)
    expect(retryAfterMs(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(10_000)
    expect(retryAfterMs(null)).toBe(1000)
    expect(retryAfterMs('soon')).toBe(1000)
  })
})

describe('provider HTTP client: requests that must not be repeated', () => {
  it('sends a create (POST) once after a 5xx or a timeout, but repeats a GET and a DELETE', async () => {
    const s = await serve({ status: 503, body: '{}' }, { body: '[]' })
    await expect(client().request(list, { method: 'POST', url: s.url, json: {}, serviceName: 'Lyceum' })).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: expect.stringContaining('Lyceum had a server error (HTTP 503)')
    })
    expect(s.requests).toHaveLength(1)
    s.respond({ hang: true })
    await expect(
      client([], { timeoutMs: 200 }).request(list, { method: 'POST', url: s.url, json: {}, serviceName: 'Lyceum' })
    ).rejects.toMatchObject({ code: 'provider-unreachable' })
    expect(s.requests).toHaveLength(2)
    s.respond({ status: 500, body: '{}' }, { status: 204 })
    await client().send({ method: 'DELETE', url: s.url, serviceName: 'Lyceum' })
    expect(s.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'DELETE', 'DELETE'])
  })

  it('sends a toggle (PATCH) once, since a second one would flip the key back', async () => {
    const s = await serve({ status: 502, body: '{}' }, { body: '[]' })
    await expect(client().request(list, { method: 'PATCH', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject({
      code: 'provider-unreachable'
    })
    expect(s.requests).toHaveLength(1)
  })

  it('repeats a POST the service refused with 429, after its Retry-After', async () => {
    const waits: number[] = []
    const s = await serve({ status: 429, headers: { 'retry-after': '1' }, body: '{}' }, { body: '[]' })
    expect(await client(waits).request(list, { method: 'POST', url: s.url, json: {}, serviceName: 'Lyceum' })).toEqual([])
    expect(waits).toEqual([1000])
  })
})

describe('provider HTTP client: bodies', () => {
  it('reports a body that stalls after the headers as the service not finishing, not an internal error', async () => {
    const s = await serve({ status: 200, stallAfter: '[{"id":' })
    await expect(client([], { timeoutMs: 300 }).request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject({
      code: 'provider-unreachable',
      message: 'Lyceum started answering but did not finish within 0.3 s. Nothing was changed; try again.'
    })
  })

  it('refuses an answer over 1 MB, declared or streamed', async () => {
    const big = `[${'{"id":"a"},'.repeat(110_000)}{"id":"b"}]`
    const s = await serve({ body: big }, { stream: { chunk: 'x'.repeat(64 * 1024), count: 40 } })
    const tooLarge = { code: 'provider-bad-response', message: 'Lyceum sent an answer larger than 1024 KB. Nothing was changed.' }
    await expect(client().request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject(tooLarge)
    await expect(client().request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum' })).rejects.toMatchObject(tooLarge)
    expect(
      await client()
        .request(list, { method: 'GET', url: s.url, serviceName: 'Lyceum', maxBytes: 4 * 1024 * 1024 })
        .catch((e: Error) => e.message)
    ).toContain('not JSON')
  })
})

describe('provider HTTP client: secrets in error messages', () => {
  const cases: Array<[string, string, string]> = [
    ['Invalid API Key 9f8e7d6c5b4a3928170699887766', '9f8e7d6c5b4a3928170699887766', 'Invalid API Key 9f8e…'],
    ['bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.abcdefghijklmnop', 'eyJzdWIiOiIxMjM0NSJ9', 'bad token eyJ…'],
    ['Authorization header Bearer 0123456789abcdef not accepted', '0123456789abcdef', 'Authorization header Bearer … not accepted'],
    [`${'x'.repeat(186)} lk_ABCDEFGHIJKLMNOPQRS`, 'ABCDEFGHIJKL', ''],
    ['key=lysk.abcdefghijklmnopqrstu', 'abcdefghijklmnopqrstu', 'key=lysk.…'],
    [`invalid key: vib_${'a'.repeat(64)}`, 'aaaaaaaaaaaa', 'invalid key: vib_…'],
    ['KEYlk_abcdefghijklmnopqrst', 'abcdefghijklmnopqrst', 'KEYlk_…']
  ]
  for (const [detail, secret, shown] of cases) {
    it(`masks ${JSON.stringify(detail.slice(-28))}`, async () => {
      const s = await serve({ status: 401, body: JSON.stringify({ detail }) })
      const error = (await client()
        .request(list, { method: 'GET', url: s.url, serviceName: 'X' })
        .catch((e: Error) => e)) as Error
      expect(error.message).not.toContain(secret)
      if (shown) expect(error.message).toBe(shown)
    })
  }
  it('masks what a schema error would echo back', async () => {
    const s = await serve({ body: JSON.stringify([{ id: 'lk_abcdefghijklmnopqrstuvwx', extra: 1 }]) })
    const strictList = z.array(z.object({ id: z.enum(['a', 'b']) }))
    const error = (await client()
      .request(strictList, { method: 'GET', url: s.url, serviceName: 'X' })
      .catch((e: Error) => e)) as Error
    expect(error.message).not.toContain('abcdefghijklmnop')
  })
})
