import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import { redact } from '../../../src/main/vault/redaction'
import { testContext } from '../../support/context'

const closers: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

/** An MCP endpoint that answers every request the same way (or never). */
async function answering(answer: { status: number; headers?: Record<string, string>; echoHeader?: boolean } | 'hang') {
  const server: Server = createServer((req, res) => {
    if (answer === 'hang') return
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
    res.end(answer.echoHeader ? `upstream said no to ${req.headers.authorization}` : 'no')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  closers.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
}

const key = 'sbx_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'
const probe = (url: string, timeoutMs = 2000) =>
  probeMcp({ url, header: { name: 'Authorization', value: `Bearer ${key}` }, serviceName: 'Acme', timeoutMs })

describe('MCP probe', () => {
  it('accepted when the server lets the client in', async () => {
    const { ctx } = await testContext()
    closers.push(() => ctx.close())
    const { secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'probe' })
    expect(
      await probeMcp({
        url: ctx.services.sandbox!.mcpUrl,
        header: { name: 'Authorization', value: `Bearer ${secret}` },
        serviceName: 'Sandbox'
      })
    ).toMatchObject({ valid: true, outcome: 'accepted' })
    expect(
      await probeMcp({
        url: ctx.services.sandbox!.mcpUrl,
        header: { name: 'Authorization', value: `Bearer ${secret}x` },
        serviceName: 'Sandbox'
      })
    ).toMatchObject({ valid: false, outcome: 'rejected' })
  })

  it('rejected only on 401 or 403', async () => {
    expect(await probe(await answering({ status: 401 }))).toMatchObject({ valid: false, outcome: 'rejected' })
    expect(await probe(await answering({ status: 403 }))).toMatchObject({ valid: false, outcome: 'rejected' })
  })

  for (const [name, answer] of [
    ['a 503', { status: 503 }],
    ['a 429', { status: 429, headers: { 'retry-after': '30' } }],
    ['no answer', 'hang']
  ] as const) {
    it(`unreachable, not rejected, on ${name}`, async () => {
      expect(await probe(await answering(answer), 300)).toMatchObject({ valid: false, outcome: 'unreachable' })
    })
  }

  it('unreachable when nothing listens', async () => {
    const url = await answering({ status: 200 })
    await closers.pop()!()
    expect(await probe(url)).toMatchObject({ outcome: 'unreachable' })
  })

  it('masks a key the server echoes back in its error text', async () => {
    const result = await probe(await answering({ status: 500, echoHeader: true }))
    expect(result.outcome).toBe('unreachable')
    expect(result.message).not.toContain(key)
    expect(result.message).toContain('sbx_4f9a…')
  })
})

describe('redacting key-like text', () => {
  it('masks known values and anything that looks like a key, and leaves ordinary words and paths', () => {
    const text = `Cursor's /home/me/.cursor/mcp.json: got vib_1234567890abcdef1234567890abcdef and Bearer ${key}; 503 Service Unavailable`
    const out = redact(text, { values: [key] })
    expect(out).not.toContain(key)
    expect(out).not.toContain('vib_1234567890abcdef1234567890abcdef')
    expect(out).toContain('vib_1234…')
    expect(out).toContain("Cursor's /home/me/.cursor/mcp.json")
    expect(out).toContain('503 Service Unavailable')
  })
})
