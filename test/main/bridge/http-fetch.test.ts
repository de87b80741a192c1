import { execFileSync } from 'node:child_process'
import { getEventListeners } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { httpFetch } from '../../../src/main/bridge/http-fetch'
import { scoped } from '../../support/scoped'

const world = scoped()

/** A real HTTP server on 127.0.0.1 answering with `handle`; counts the connections it accepts. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => handle(req, res, body))
  })
  let connections = 0
  server.on('connection', () => connections++)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  world.defer(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  )
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`), connections: () => connections }
}

const post = (body: string, more: RequestInit = {}): RequestInit => ({
  method: 'POST',
  body,
  redirect: 'manual',
  headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer acme_test' }),
  ...more
})

describe("the bridge's fetch to the remote server", () => {
  it('sends the headers and the whole body (not ASCII too), and reads the reply', async () => {
    const { url } = await serve((req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ auth: req.headers['authorization'], body, length: req.headers['content-length'] }))
    })
    const text = '{"text":"zürich ✓"}'
    const response = await httpFetch()(url, post(text))
    expect(response.status).toBe(200)
    // The length in bytes, not in characters: a shorter one would cut the message off.
    expect(await response.json()).toEqual({ auth: 'Bearer acme_test', body: text, length: String(text.length + 3) })
  })

  it('hands over each event of a streamed reply as it comes, not when the reply ends', async () => {
    let finish: (() => void) | undefined
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('event: message\ndata: {"progress":1}\n\n')
      finish = () => res.end('event: message\ndata: {"result":2}\n\n')
    })
    const response = await httpFetch()(url, post('{}'))
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    expect((await reader.read()).value).toContain('"progress":1')
    finish!()
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value
    expect(rest).toContain('"result":2')
  })

  it('keeps one connection open for a session instead of opening one per message', async () => {
    const { url, connections } = await serve((req, res) => {
      if (req.headers['x-kind'] === 'notification') return void res.writeHead(202).end()
      if (req.headers['x-kind'] === 'refused') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"no"}')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
    const fetch = httpFetch()
    for (let i = 0; i < 20; i++) {
      await (await fetch(url, post(`{"n":${i}}`))).json()
      // Replies whose body is thrown away unread, as the SDK does with a 202 and the bridge with a 401.
      for (const kind of ['notification', 'refused']) await (await fetch(url, post('{}', { headers: { 'x-kind': kind } }))).body?.cancel()
    }
    expect(connections()).toBe(1)
  })

  it('says when a streamed reply to a POST ended, with the body it answered, and whether it can be resumed', async () => {
    const { url } = await serve((req, res) => {
      const kind = req.headers['x-kind']
      if (kind === 'json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(kind === 'ids' ? 'id: 7\nevent: message\ndata: {}\n\n' : 'event: message\ndata: {}\n\n')
    })
    const ended: Array<[string, boolean]> = []
    const fetch = httpFetch({ onStreamEnd: (body, resumable) => void ended.push([body, resumable]) })
    for (const kind of ['plain', 'ids', 'json']) {
      const response = await fetch(url, post(`{"id":"${kind}"}`, { headers: { 'x-kind': kind } }))
      await response.text()
    }
    expect(ended).toEqual([
      ['{"id":"plain"}', false],
      ['{"id":"ids"}', true]
    ])
  })

  it('fails the reply, instead of leaving it waiting, when the server drops the connection mid-stream', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('event: message\ndata: {"progress":1}\n\n')
      setTimeout(() => req.socket.destroy(), 20)
    })
    const ended: boolean[] = []
    const response = await httpFetch({ onStreamEnd: (_body, resumable) => void ended.push(resumable) })(url, post('{"id":1}'))
    await expect(response.text()).rejects.toThrow()
    expect(ended).toEqual([false])
  })

  it('rejects a refused connection as the global fetch does: "fetch failed" with the socket error as its cause', async () => {
    const { url } = await serve(() => undefined)
    url.port = String(Number(url.port) === 1 ? 2 : 1)
    const error = await httpFetch()(url, post('{}')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } })
  })

  it('returns a redirect as it is for the caller to judge, and passes a request that asks to follow one to the fallback', async () => {
    const { url } = await serve((_req, res) => res.writeHead(307, { location: 'https://elsewhere.example/mcp' }).end())
    const asked: string[] = []
    const fallback = (async (input: string | URL | Request) => {
      asked.push(String(input))
      return new Response('from the fallback')
    }) as typeof fetch
    const fetch = httpFetch({ fallback })
    const response = await fetch(url, post('{}'))
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe('https://elsewhere.example/mcp')
    expect(await (await fetch(url, { ...post('{}'), redirect: 'follow' })).text()).toBe('from the fallback')
    expect(asked).toEqual([url.href])
  })

  it('answers a reply without a body (202, 204) with no body, as the SDK expects of a notification', async () => {
    const { url } = await serve((req, res) => res.writeHead(req.headers['x-status'] === '204' ? 204 : 202).end())
    const fetch = httpFetch()
    const accepted = await fetch(url, post('{}', { headers: { 'x-status': '202' } }))
    expect(accepted.status).toBe(202)
    expect(await accepted.text()).toBe('')
    const none = await fetch(url, post('{}', { headers: { 'x-status': '204' } }))
    expect([none.status, none.body]).toEqual([204, null])
  })

  it('stops a request and its reply when the transport aborts, and leaves no listener behind on a long-lived signal', async () => {
    const { url } = await serve((req, res) => {
      if (req.headers['x-hang']) return void res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': waiting\n\n')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
    const session = new AbortController()
    const fetch = httpFetch()
    for (let i = 0; i < 50; i++) await (await fetch(url, post('{}', { signal: session.signal }))).text()
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0)
    const hanging = await fetch(url, post('{}', { signal: session.signal, headers: { 'x-hang': '1' } }))
    const reading = hanging.text()
    session.abort()
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
    await expect(fetch(url, post('{}', { signal: session.signal }))).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('refuses a server whose TLS certificate it cannot verify, before any header (the key) is sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kw-tls-'))
    world.defer(() => rm(dir, { recursive: true, force: true }))
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem')
      ]),
      { stdio: 'ignore' }
    )
    const seen: string[] = []
    const server = createTlsServer(
      { key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) },
      (req, res) => {
        seen.push(String(req.headers['authorization']))
        res.end('{}')
      }
    )
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    world.defer(() => new Promise<void>((r) => server.close(() => r())))
    const url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`)
    const error = await httpFetch()(url, post('{}')).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })
    expect(seen).toEqual([])
  })

  it('reads a reply the server compressed (gzip, deflate, br), streamed or whole, as the global fetch does', async () => {
    const reply = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: 'zürich ✓'.repeat(500) } })
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync]
    ] as const) {
      const { url } = await serve((req, res) => {
        expect(req.headers['accept-encoding']).toContain(encoding)
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding })
        const bytes = compress(Buffer.from(reply))
        // In two pieces, the second after a pause: decoded as it comes, not only at the end.
        res.write(bytes.subarray(0, 10))
        setTimeout(() => res.end(bytes.subarray(10)), 20)
      })
      expect(await (await httpFetch()(url, post('{}'))).text()).toBe(reply)
    }
  })

  it('fails a request whose server never answers, and a reply that stops coming, instead of holding the connection', async () => {
    const { url } = await serve(() => {})
    const started = Date.now()
    const silent = await httpFetch({ idleTimeoutMs: 300 })(url, post('{}')).catch((e: unknown) => e)
    expect(silent).toBeInstanceOf(TypeError)
    expect(String((silent as TypeError).cause)).toMatch(/sent nothing for/)
    expect(Date.now() - started).toBeLessThan(5000)
    const stalled = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('event: message\ndata: {}\n\n')
    })
    const response = await httpFetch({ idleTimeoutMs: 300 })(stalled.url, post('{}'))
    await expect(response.text()).rejects.toThrow('terminated')
  })

  it('fails a whole reply cut short as the global fetch does: "terminated", the cause beneath', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{"jsonrpc":"2.0","id":1,"result":')
      setTimeout(() => req.socket.destroy(), 20)
    })
    const response = await httpFetch()(url, post('{}'))
    const error = await response.text().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
    expect((error as TypeError).cause).toBeDefined()
  })
})
