import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { execFile, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { boundTestServer } from '../test/main/bridge/world'
import { report } from './report'

const exec = promisify(execFile)
const CLI = resolve('out/cli/keywarden.cjs')
const RUNTIME = resolve('build/runtime/keywarden-runtime')
const MCP_REMOTE = resolve('node_modules/mcp-remote/dist/proxy.js')
const env = {
  PATH: process.env['PATH'] ?? '',
  HOME: process.env['HOME'] ?? '',
  DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? ''
}
type Command = { command: string; args: string[]; env?: Record<string, string> }

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } }
})}\n`

/** Milliseconds from spawning the process to the `initialize` result on its stdout. */
async function coldStart(c: Command): Promise<number> {
  const t = performance.now()
  const child = spawn(c.command, c.args, { env: { ...env, ...c.env }, stdio: ['pipe', 'pipe', 'ignore'] })
  child.stdin.write(INITIALIZE)
  const line = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) done(out)
    })
    child.once('exit', () => fail(new Error(`${c.command} exited before answering`)))
  })
  const ms = performance.now() - t
  child.kill('SIGKILL')
  expect(line).toContain('"result"')
  return ms
}

/** CPU time a process has used so far, in milliseconds (utime + stime, at 100 ticks a second). */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

/** A connected client: through a stdio command (its process id kept for memory), or straight over HTTP. */
async function connect(c: Command | { url: string; header: Record<string, string> }) {
  const client = new Client({ name: 'bench', version: '1' })
  if ('url' in c) {
    await client.connect(new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.header } }))
    return { client, pid: undefined }
  }
  const transport = new StdioClientTransport({ command: c.command, args: c.args, env: { ...env, ...c.env }, stderr: 'ignore' })
  await client.connect(transport)
  return { client, pid: transport.pid }
}

/** The direct HTTP client in a process of its own (bench/direct-client.mjs), one call per request. */
async function directProcess(url: string, header: string) {
  const child = spawn(process.execPath, [resolve('bench/direct-client.mjs'), url], {
    env: { ...env, KW_HEADER: header },
    stdio: ['pipe', 'pipe', 'ignore']
  })
  const lines: string[] = []
  let buffer = ''
  let wake: (() => void) | undefined
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString()
    let i: number
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, i))
      buffer = buffer.slice(i + 1)
      wake?.()
    }
  })
  const next = async () => {
    while (lines.length === 0) await new Promise<void>((r) => (wake = r))
    return lines.shift()!
  }
  expect(await next()).toBe('ready')
  return {
    pid: child.pid,
    /** One call, timed inside the client process itself. */
    call: async () => {
      child.stdin.write('call\n')
      return Number(await next())
    },
    close: async () => void child.kill()
  }
}

/**
 * Median tools/call round trip of each client. Calls go round robin, one client after the other,
 * so that a busy machine (this one is shared) slows each of them alike.
 */
async function roundTrips(clients: Record<string, Client | (() => Promise<number>)>, rounds: number): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(clients).map((k) => [k, []]))
  for (let round = -20; round < rounds; round++)
    for (const [name, client] of Object.entries(clients)) {
      let ms: number
      if (typeof client === 'function') ms = await client()
      else {
        const t = performance.now()
        await client.callTool({ name: 'whoami' })
        ms = performance.now() - t
      }
      if (round >= 0) times[name]!.push(ms)
    }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!]))
}

it('keychain bridge vs mcp-remote (key in a header argument) vs a direct HTTP client', async () => {
  // A remote MCP server with sessions and streamed replies, as hosted servers run (no rate limit).
  const closers: Array<() => Promise<void>> = []
  const { ctx, key, first: secret, binding } = await boundTestServer((c) => void closers.push(c))
  const tail = ['mcp-bridge', binding.id, '--data-dir', ctx.dataDir]
  const bridge: Command = {
    command: process.execPath,
    args: [CLI, ...tail]
  }
  const runtime: Command | undefined = existsSync(RUNTIME) ? { command: RUNTIME, args: tail } : undefined
  // What people do today: mcp-remote with the key in its arguments' environment (the documented form).
  const remote: Command = {
    command: process.execPath,
    args: [MCP_REMOTE, binding.url, '--header', 'Authorization:${AUTH}'],
    env: { AUTH: `Bearer ${secret}` }
  }

  // Cold start: rounds alternate the candidates, so a busy machine slows each alike.
  const runs = { bridge: [] as number[], remote: [] as number[], runtime: [] as number[] }
  for (let round = 0; round < 8; round++) {
    runs.bridge.push(await coldStart(bridge))
    runs.remote.push(await coldStart(remote))
    if (runtime) runs.runtime.push(await coldStart(runtime))
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  report('bridge cold start to the initialize result (node + built CLI)', {
    value: mid(runs.bridge),
    baseline: mid(runs.remote),
    unit: 'ms',
    target: '≤ 0.5× mcp-remote'
  })
  if (runtime)
    report('bridge cold start to the initialize result (packaged single-executable runtime)', {
      value: mid(runs.runtime),
      baseline: mid(runs.remote),
      unit: 'ms',
      target: '≤ 0.5× mcp-remote'
    })

  const header = { Authorization: `Bearer ${secret}` }
  const connected = {
    direct: await connect({ url: binding.url, header }),
    bridge: await connect(bridge),
    remote: await connect(remote),
    ...(runtime ? { runtime: await connect(runtime) } : {})
  }
  const cpuBefore = Object.fromEntries(Object.entries(connected).flatMap(([k, v]) => (v.pid ? [[k, cpuMs(v.pid)]] : [])))
  const rounds = 300
  const separate = await directProcess(binding.url, `Authorization: Bearer ${secret}`)
  const rtt = await roundTrips(
    { ...Object.fromEntries(Object.entries(connected).map(([k, v]) => [k, v.client])), separate: separate.call },
    rounds
  )
  await separate.close()
  const cpuPerCall = Object.fromEntries(
    Object.entries(connected).flatMap(([k, v]) => (v.pid ? [[k, (cpuMs(v.pid) - cpuBefore[k]!) / (rounds + 20)]] : []))
  )
  const memory = Object.fromEntries(Object.entries(connected).flatMap(([k, v]) => (v.pid ? [[k, rss(v.pid)]] : [])))
  for (const c of Object.values(connected)) await c.client.close()
  report('direct HTTP client in a process of its own (the baseline below)', {
    value: rtt['separate']!,
    baseline: rtt['direct']!,
    unit: 'ms',
    note: 'baseline here: the same client inside the process that runs the server'
  })
  report('tools/call round trip through the bridge (node)', {
    value: rtt['bridge']!,
    baseline: rtt['separate']!,
    unit: 'ms',
    target: '≤ 1.1× direct HTTP'
  })
  if (runtime)
    report('tools/call round trip through the bridge (runtime)', {
      value: rtt['runtime']!,
      baseline: rtt['separate']!,
      unit: 'ms',
      target: '≤ 1.1× direct HTTP'
    })
  report('tools/call round trip through mcp-remote (for comparison)', { value: rtt['remote']!, baseline: rtt['separate']!, unit: 'ms' })
  report('CPU time the bridge process spends per tools/call (node)', {
    value: cpuPerCall['bridge']!,
    baseline: cpuPerCall['remote']!,
    unit: 'ms',
    note: "baseline: mcp-remote's (the same SDK transports: JSON-RPC parsing, web streams, HTTP)"
  })
  if (runtime)
    report('CPU time the bridge process spends per tools/call (runtime)', {
      value: cpuPerCall['runtime']!,
      baseline: cpuPerCall['remote']!,
      unit: 'ms'
    })
  report('resident memory of one bridge process (node), after 320 calls', {
    value: memory['bridge']!,
    baseline: memory['remote']!,
    unit: 'MB',
    target: '≤ 1.0× mcp-remote'
  })
  if (runtime)
    report('resident memory of one bridge process (runtime), after 320 calls', {
      value: memory['runtime']!,
      baseline: memory['remote']!,
      unit: 'MB',
      target: '≤ 1.0× mcp-remote'
    })

  // The headers helper's start-up, against the keychain's own command-line lookup; rounds alternate
  // the three, so a busy machine slows each alike.
  const service = `Keywarden (${ctx.dataDir})`
  const timed = async (c: string, args: string[]) => {
    const t = performance.now()
    await exec(c, args, { env })
    return performance.now() - t
  }
  const starts = { secretTool: [] as number[], node: [] as number[], runtime: [] as number[] }
  const helperArgs = ['mcp-headers', binding.id, '--data-dir', ctx.dataDir]
  for (let round = -1; round < 15; round++) {
    const s = await timed('secret-tool', ['lookup', 'service', service, 'account', `key:${key.id}`])
    const n = await timed(process.execPath, [CLI, ...helperArgs])
    const r = runtime ? await timed(RUNTIME, helperArgs) : 0
    if (round < 0) continue
    starts.secretTool.push(s)
    starts.node.push(n)
    starts.runtime.push(r)
  }
  report('mcp-headers start-up (node + built CLI)', {
    value: mid(starts.node),
    baseline: mid(starts.secretTool),
    unit: 'ms',
    target: '≤ 2× secret-tool'
  })
  if (runtime)
    report('mcp-headers start-up (packaged single-executable runtime)', {
      value: mid(starts.runtime),
      baseline: mid(starts.secretTool),
      unit: 'ms',
      target: '≤ 2× secret-tool'
    })
  if (!runtime) console.log('[bench] the single-executable runtime is not built (npm run build:runtime); its figures are left out')
  for (const close of closers.reverse()) await close()
  expect(spawnSync('true').status).toBe(0)
})
