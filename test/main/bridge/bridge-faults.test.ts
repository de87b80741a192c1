import { describe, expect, it } from 'vitest'
import { scoped } from '../../support/scoped'
import { boundTestServer, connectThroughBridge, rawBridge } from './world'

const world = scoped()

/** Nothing the client is told, and nothing on stderr, carries the key. */
function expectNoKey(texts: string[], key: string) {
  for (const t of texts) expect(t).not.toContain(key)
}

const call = (id: number | string, name: string, args: object = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args }
})

describe('the bridge when things go wrong', () => {
  it('tells the client the server is down at start, without hanging', async () => {
    const { server, first, command } = await boundTestServer(world.defer)
    await server.down()
    const bridge = rawBridge(command, world.defer)
    const reply = await bridge.initialize()
    expect(reply['error']).toMatchObject({ message: expect.stringContaining('could not reach "acme"') })
    expect(JSON.stringify(reply)).toContain('connection refused')
    // The next initialize (the client retrying) connects once the server is back.
    await server.up()
    bridge.send({
      jsonrpc: '2.0',
      id: 'again',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
    })
    expect(await bridge.next((l) => l['id'] === 'again')).toHaveProperty('result.serverInfo.name', 'bridge-test-server')
    expectNoKey([JSON.stringify(bridge.lines), bridge.stderr()], first)
  })

  it('answers calls with an error while the server is down mid-session, and works again once it is back', async () => {
    const { server, first, command } = await boundTestServer(world.defer)
    const { client, stderr } = await connectThroughBridge(command, world.defer)
    await client.callTool({ name: 'echo', arguments: { text: 'one' } })
    await server.down()
    const down = await client.callTool({ name: 'echo', arguments: { text: 'two' } }).catch((e: Error) => e)
    expect(String(down)).toContain('could not reach "acme"')
    await server.up()
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'three' } }))).toContain('three')
    expectNoKey([String(down), stderr.join('')], first)
  })

  it('keeps answering other requests while the server is slow with one', async () => {
    const { command } = await boundTestServer(world.defer)
    const { client } = await connectThroughBridge(command, world.defer)
    const order: string[] = []
    const slow = client.callTool({ name: 'slow', arguments: { ms: 1_500 } }).then(() => order.push('slow'))
    await client.callTool({ name: 'echo', arguments: { text: 'quick' } }).then(() => order.push('quick'))
    await slow
    expect(order).toEqual(['quick', 'slow'])
  })

  it('waits out a short 429 Retry-After and sends the call once more', async () => {
    const { server, command } = await boundTestServer(world.defer)
    const { client } = await connectThroughBridge(command, world.defer)
    server.fail({ status: 429, headers: { 'retry-after': '1' } })
    const before = server.seen.length
    expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'later' } }))).toContain('later')
    expect(server.seen.slice(before).filter((s) => s.rpc === 'tools/call')).toHaveLength(2)
  })

  it('tells the client how long to wait on a long 429 Retry-After', async () => {
    const { server, first, command } = await boundTestServer(world.defer)
    const { client } = await connectThroughBridge(command, world.defer)
    server.fail({ status: 429, headers: { 'retry-after': '600' } })
    const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: Error) => e)
    expect(String(error)).toContain('limiting requests (HTTP 429). Try again in 600 seconds.')
    expectNoKey([String(error)], first)
  })

  it('answers with an error when the server sends a reply that is not JSON-RPC, and goes on', async () => {
    for (const json of [true, false]) {
      const { server, command } = await boundTestServer(world.defer, { json })
      const { client } = await connectThroughBridge(command, world.defer)
      server.fail({ malformed: json ? 'json' : 'sse' })
      const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: Error) => e)
      expect(String(error)).toMatch(/not valid MCP|without a valid answer/)
      expect(JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'fine' } }))).toContain('fine')
    }
  })

  it('answers a line from the client that is not JSON-RPC with a parse error, and goes on', async () => {
    const { command } = await boundTestServer(world.defer)
    const bridge = rawBridge(command, world.defer)
    await bridge.initialize()
    bridge.write('{"this is": not json\n')
    bridge.write('{"jsonrpc":"1.0","id":5}\n')
    const parseError = await bridge.next((l) => (l['error'] as { code?: number } | undefined)?.code === -32700)
    expect(parseError['error']).toMatchObject({ message: expect.stringContaining('not JSON-RPC') })
    bridge.send(call(9, 'echo', { text: 'still here' }))
    expect(JSON.stringify(await bridge.next((l) => l['id'] === 9))).toContain('still here')
    // Its log says so in one line per message, not a schema library's multi-line report.
    const said = bridge
      .stderr()
      .split('\n')
      .filter((l) => l.includes('not JSON-RPC'))
    expect(said.length).toBeGreaterThanOrEqual(2)
    for (const line of said) expect(line).toMatch(/^keywarden mcp-bridge: the client sent a message that is not JSON-RPC: .{1,200}$/)
    expect(bridge.stderr()).not.toMatch(/"code":\s*"invalid_/)
  })

  it('ends its session and exits when the client closes stdin, even with a call in flight', async () => {
    const { server, command } = await boundTestServer(world.defer)
    const bridge = rawBridge(command, world.defer)
    await bridge.initialize()
    bridge.send(call(3, 'slow', { ms: 20_000 }))
    await new Promise((r) => setTimeout(r, 200))
    const t = performance.now()
    bridge.child.stdin.end()
    expect(await bridge.exited).toBe(0)
    expect(performance.now() - t).toBeLessThan(5_000)
    expect(server.seen.some((s) => s.method === 'DELETE')).toBe(true)
    // The call the client sent before closing is answered, with why there is no result.
    expect(bridge.lines.find((l) => (l as { id?: unknown }).id === 3)).toMatchObject({
      error: { message: expect.stringContaining('did not answer tools/call before the client closed its input') }
    })
  })

  it('answers every request piped in before stdin closed, in one go, as a script writes them', async () => {
    const { command, first } = await boundTestServer(world.defer)
    const bridge = rawBridge(command, world.defer)
    bridge.write(
      [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } }
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        call(3, 'echo', { text: 'piped' })
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n'
    )
    bridge.child.stdin.end()
    expect(await bridge.exited).toBe(0)
    const ids = bridge.lines.map((l) => (l as { id?: unknown }).id)
    expect(ids).toEqual([1, 2, 3])
    expect(JSON.stringify(bridge.lines[1])).toContain('"tools"')
    expect(JSON.stringify(bridge.lines[2])).toContain('piped')
    expectNoKey([JSON.stringify(bridge.lines), bridge.stderr()], first)
  })

  it('a killed bridge fails the client call at once instead of leaving it waiting', async () => {
    const { command } = await boundTestServer(world.defer)
    const { client, pid } = await connectThroughBridge(command, world.defer)
    const pending = client.callTool({ name: 'slow', arguments: { ms: 20_000 } }).catch((e: Error) => e)
    await new Promise((r) => setTimeout(r, 200))
    const t = performance.now()
    process.kill(pid!, 'SIGKILL')
    expect(String(await pending)).toMatch(/Connection closed/i)
    expect(performance.now() - t).toBeLessThan(5_000)
  })

  it('names the revoked key (masked) and what to do when it has no successor', async () => {
    const { server, first, key, command } = await boundTestServer(world.defer)
    const { client, stderr } = await connectThroughBridge(command, world.defer)
    server.revoke(first)
    const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: Error) => e)
    expect(String(error)).toContain(`"acme laptop" (${key.prefix}…)`)
    expect(String(error)).toContain('Rotate the key in Keywarden')
    expectNoKey([String(error), stderr.join('')], first)
  })
})
