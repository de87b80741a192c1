import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { boundTestServer, connectThroughBridge, rawBridge } from './world'

const world = scoped()

describe('the bridge forwards the whole protocol', () => {
  for (const json of [false, true]) {
    it(`passes tools, progress, the server's own requests and cancellation (${json ? 'JSON' : 'SSE'} replies)`, async () => {
      const { server, first, command } = await boundTestServer(world.defer, { json })
      const since = server.seen.length
      const { client, stderr } = await connectThroughBridge(command, world.defer)
      client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work/project', name: 'project' }] }))

      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'count', 'roots']))
      expect(JSON.stringify(await client.callTool({ name: 'count', arguments: { to: 3 } }))).toContain('counted 3')
      if (!json) expect(JSON.stringify(await client.callTool({ name: 'roots' }))).toContain('file:///work/project')

      const abort = new AbortController()
      const slow = client.callTool({ name: 'slow', arguments: { ms: 3_000 } }, undefined, { signal: abort.signal })
      setTimeout(() => abort.abort('changed my mind'), 200)
      await expect(slow).rejects.toThrow()
      await expect.poll(() => server.seen.some((s) => s.rpc === 'notifications/cancelled')).toBe(true)

      // One session, carried on every request after initialize, with the key in the header.
      const ours = server.seen.slice(since)
      const sessions = new Set(ours.filter((s) => s.rpc && s.rpc !== 'initialize').map((s) => s.session))
      expect(sessions.size).toBe(1)
      expect([...sessions][0]).toBeTruthy()
      expect(ours.every((s) => s.key === first)).toBe(true)
      expect(stderr.join('')).not.toContain(first)
    })
  }

  it('hands the client every progress notification before the reply they belong to', async () => {
    const { command } = await boundTestServer(world.defer)
    const bridge = rawBridge(command, world.defer)
    await bridge.initialize()
    bridge.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'count', arguments: { to: 3 }, _meta: { progressToken: 'p7' } }
    })
    await bridge.next((l) => l['id'] === 7)
    const order = bridge.lines.flatMap((l): Array<number | string | undefined> => {
      const m = l as { id?: unknown; method?: string; params?: { progress?: number } }
      return m.method === 'notifications/progress' ? [m.params?.progress] : m.id === 7 ? ['reply'] : []
    })
    expect(order).toEqual([1, 2, 3, 'reply'])
  })

  it('sends the key in the header the provider names (x-api-key, no scheme)', async () => {
    const { server, first, command } = await boundTestServer(world.defer, { header: 'x-api-key', scheme: 'none' })
    const { client } = await connectThroughBridge(command, world.defer)
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toContain('hi')
    expect(server.seen.at(-1)?.key).toBe(first)
  })

  it('falls back to the legacy HTTP+SSE transport when the server refuses Streamable HTTP', async () => {
    const { server, command } = await boundTestServer(world.defer)
    server.legacyOnly()
    const since = server.seen.length
    const { client } = await connectThroughBridge(command, world.defer)
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'over sse' } }))).toContain('over sse')
    expect(server.seen[since]).toMatchObject({ method: 'POST', url: '/mcp', rpc: 'initialize' })
    expect(server.seen.some((s) => s.method === 'GET' && s.url === '/mcp')).toBe(true)
    expect(server.seen.some((s) => s.method === 'POST' && s.url === '/messages' && s.rpc === 'tools/call')).toBe(true)
  })

  it('opens a new session for the client when the server has lost it, and the call succeeds', async () => {
    const { server, command } = await boundTestServer(world.defer)
    const { client } = await connectThroughBridge(command, world.defer)
    await client.callTool({ name: 'echo', arguments: { text: 'before' } })
    server.dropSessions()
    const before = server.initializes()
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toContain('after')
    expect(server.initializes()).toBe(before + 1)
    expect(server.seen.filter((s) => s.rpc === 'notifications/initialized').length).toBeGreaterThanOrEqual(2)
  })
})
