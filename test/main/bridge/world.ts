import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { testContext } from '../../support/context'
import { startTestServer, type ServerOptions } from './test-server'

export const CLI = resolve(import.meta.dirname, '../../../out/cli/keywarden.cjs')

type Ctx = Awaited<ReturnType<typeof testContext>>['ctx']

/** The command a client is given for a binding: the built command line, as the app would write it. */
export function bridgeCommand(ctx: Ctx, bindingId: string) {
  return { command: process.execPath, args: [CLI, 'mcp-bridge', bindingId, '--data-dir', ctx.dataDir] }
}

/**
 * A real app context with the sandbox running and one key bound to its MCP server. The binding is
 * made through the bindings service, as the window makes it.
 */
export async function boundSandboxKey(
  cleanup: (close: () => Promise<void>) => void,
  options: { placement?: 'helper' | 'bridge'; client?: 'claude-code' | 'cursor' | 'vscode' } = {}
) {
  const { ctx } = await testContext({ sandbox: 'start' })
  cleanup(() => ctx.close())
  await mkdir(ctx.home, { recursive: true })
  const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'bridge key' })
  const client = options.client ?? 'claude-code'
  const preview = await ctx.services.bindings.preview({
    keyId: key.id,
    client,
    scope: client === 'cursor' ? 'global' : 'user',
    placement: options.placement ?? 'helper',
    serverName: 'kw-bridge'
  })
  const { binding } = await ctx.services.bindings.apply(preview.planId)
  return { ctx, key, secret, binding }
}

/** An SDK client connected over stdio to a bridge process; every stderr line is kept. */
export async function connectThroughBridge(
  command: { command: string; args: string[] },
  cleanup: (close: () => Promise<void>) => void,
  options: { env?: Record<string, string>; timeoutMs?: number } = {}
) {
  const transport = new StdioClientTransport({
    ...command,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...passBus(), ...options.env },
    stderr: 'pipe'
  })
  const stderr: string[] = []
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()))
  const client = new Client({ name: 'bridge-test', version: '1' }, { capabilities: { roots: { listChanged: true } } })
  cleanup(() => client.close().catch(() => undefined))
  await client.connect(transport, { timeout: options.timeoutMs ?? 20_000 })
  return { client, transport, stderr, pid: transport.pid }
}

/** The private keychain session the tests run in. */
function passBus(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR']) if (process.env[name]) out[name] = process.env[name]!
  return out
}

/** A key of the test service's shape (acme_ and 32 characters), new each call. */
export const acmeKey = () => `acme_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`

/**
 * A remote MCP server of the test's own (sessions tied to keys, legacy SSE, faults) filed in a real
 * vault as a dashboard-managed custom service, with one imported key bound to it.
 */
export async function boundTestServer(
  cleanup: (close: () => Promise<void>) => void,
  options: Omit<ServerOptions, 'keys'> & { scheme?: 'Bearer' | 'none' } = {}
) {
  const first = acmeKey()
  const server = await startTestServer({ ...options, keys: [first] })
  cleanup(server.close)
  const { ctx } = await testContext({ sandbox: 'off' })
  cleanup(() => ctx.close())
  await mkdir(ctx.home, { recursive: true })
  const provider = await ctx.services.providers.connect({
    kind: 'custom',
    custom: {
      name: 'Acme AI',
      header: { name: options.header ?? 'Authorization', scheme: options.scheme ?? 'Bearer' },
      keyPrefix: 'acme_',
      mcpUrl: server.url,
      dashboardUrl: 'https://dashboard.acme.example/keys'
    }
  })
  const { key } = await ctx.services.importKey({ value: first, providerId: provider.id, name: 'acme laptop' })
  const preview = await ctx.services.bindings.preview({
    keyId: key.id,
    client: 'claude-code',
    scope: 'user',
    placement: 'helper',
    serverName: 'acme'
  })
  const { binding } = await ctx.services.bindings.apply(preview.planId)
  return { ctx, server, key, first, binding, command: bridgeCommand(ctx, binding.id) }
}

/** A bridge process driven line by line, as a client that speaks raw JSON-RPC would. */
export function rawBridge(command: { command: string; args: string[] }, cleanup: (close: () => Promise<void>) => void) {
  const child = spawn(command.command, command.args, {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...passBus() },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const lines: unknown[] = []
  let stdout = ''
  let stderr = ''
  const waiters: Array<() => void> = []
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    let i: number
    while ((i = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, i)
      stdout = stdout.slice(i + 1)
      lines.push(JSON.parse(line))
      waiters.splice(0).forEach((w) => w())
    }
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  cleanup(async () => void child.kill('SIGKILL'))
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    write: (text: string) => void child.stdin.write(text),
    send: (message: object) => void child.stdin.write(`${JSON.stringify(message)}\n`),
    /** Resolves with the first line matching, waiting for it. */
    async next(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      for (;;) {
        const found = lines.find((l) => match(l as Record<string, unknown>))
        if (found) return found as Record<string, unknown>
        await new Promise<void>((r) => waiters.push(r))
      }
    },
    async initialize() {
      child.stdin.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`
      )
      const reply = await this.next((l) => l['id'] === 'init')
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`)
      return reply
    }
  }
}
