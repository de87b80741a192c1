import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { scoped } from '../support/scoped'
import { boundSandboxKey } from '../main/bridge/world'
import { claudeIn } from './claude'

const run = promisify(execFile)
const world = scoped()
const INSPECTOR = resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js')

/** Runs the official MCP Inspector in CLI mode against a stdio command, as a person would. */
async function inspector(command: string, args: string[], method: string[], home: string) {
  // The Inspector gives a stdio server a minimal environment. On a desktop the bridge finds the
  // session bus at $XDG_RUNTIME_DIR/bus itself; the tests' private keychain bus lives elsewhere.
  const bus = ['-e', `DBUS_SESSION_BUS_ADDRESS=${process.env['DBUS_SESSION_BUS_ADDRESS'] ?? ''}`]
  const { stdout, stderr } = await run(process.execPath, [INSPECTOR, '--cli', ...bus, command, ...args, ...method], {
    env: { PATH: process.env['PATH'] ?? '', HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '' },
    timeout: 60_000
  }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }))
  return { stdout, stderr }
}

describe('real clients through the keychain bridge', () => {
  it('Claude Code connects to a stdio bridge entry, and the file holds no key', async () => {
    const { ctx, secret, binding } = await boundSandboxKey(world.defer, { placement: 'bridge' })
    const file = await readFile(join(ctx.home, '.claude.json'), 'utf8')
    const entry = JSON.parse(file).mcpServers['kw-bridge']
    expect(entry).toEqual({ type: 'stdio', command: process.execPath, args: expect.arrayContaining(['mcp-bridge', binding.id]), env: {} })
    expect(file).not.toContain(secret)
    const out = await claudeIn(ctx.home, ['mcp', 'get', 'kw-bridge'])
    expect(out).toContain('Status: ✔ Connected')
    expect(out).toContain('Type: stdio')
    expect(out).not.toContain(secret)
  }, 120_000)

  it('the MCP Inspector (CLI mode) lists the tools and calls one through the bridge Cursor was given', async () => {
    const { ctx, key, secret } = await boundSandboxKey(world.defer, { placement: 'bridge', client: 'cursor' })
    const file = await readFile(join(ctx.home, '.cursor', 'mcp.json'), 'utf8')
    expect(file).not.toContain(secret)
    const { command, args } = JSON.parse(file).mcpServers['kw-bridge'] as { command: string; args: string[] }
    const tools = await inspector(command, args, ['--method', 'tools/list'], ctx.home)
    expect(tools.stdout, tools.stderr).toContain('whoami')
    const called = await inspector(command, args, ['--method', 'tools/call', '--tool-name', 'whoami'], ctx.home)
    expect(called.stdout, called.stderr).toContain(`${key.prefix}…`)
    expect(`${tools.stdout}${tools.stderr}${called.stdout}${called.stderr}`).not.toContain(secret)
  }, 120_000)
})
