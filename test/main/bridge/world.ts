import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { testContext } from '../../support/context'

export const CLI = resolve(import.meta.dirname, '../../../out/main/cli.js')

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
  const { key, secret } = await ctx.keys.create({ providerId: 'sandbox', name: 'bridge key' })
  const client = options.client ?? 'claude-code'
  const preview = await ctx.bindings.preview({
    keyId: key.id,
    client,
    scope: client === 'cursor' ? 'global' : 'user',
    placement: options.placement ?? 'helper',
    serverName: 'kw-bridge'
  })
  const { binding } = await ctx.bindings.apply(preview.planId)
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
