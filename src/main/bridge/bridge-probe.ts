import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { ProbeResult } from '../providers/mcp-probe'
import { bridgeErrorCodes } from './bridge-errors'

/** The bare environment a client gives the programs it starts: where to find them, home, the session bus. */
export function clientEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const passed = [
    'PATH',
    'HOME',
    'USERPROFILE',
    'APPDATA',
    'LOCALAPPDATA',
    'SystemRoot',
    'ComSpec',
    'DBUS_SESSION_BUS_ADDRESS',
    'XDG_RUNTIME_DIR'
  ]
  return Object.fromEntries(passed.flatMap((name) => (env[name] ? [[name, env[name]!]] : [])))
}

/**
 * Runs a binding's bridge exactly as a client starts it (the command written into its config, the
 * client's bare environment) and asks the server for its tools: what a rotation checks for each
 * binding whose key is read at connect time. An MCP error from the bridge tells a rejected key from
 * a server out of reach.
 */
export async function probeThroughBridge(options: {
  command: { command: string; args: string[] }
  serviceName: string
  env?: Record<string, string | undefined>
  timeoutMs?: number
}): Promise<ProbeResult> {
  const transport = new StdioClientTransport({
    ...options.command,
    // The activity log names this read as Keywarden's own check, not a client's.
    env: { ...clientEnvironment(options.env ?? process.env), KEYWARDEN_ASKED_BY: 'keywarden' },
    stderr: 'pipe'
  })
  // The bridge's own last words say why it stopped (it never prints a key).
  let said = ''
  transport.stderr?.on('data', (d: Buffer) => (said = `${said}${d.toString()}`.slice(-600)))
  const client = new Client({ name: 'keywarden-verify', version: '1' })
  const timeout = options.timeoutMs ?? 15_000
  try {
    await client.connect(transport, { timeout })
    const { tools } = await client.listTools(undefined, { timeout })
    return {
      valid: true,
      outcome: 'accepted',
      message: `${options.serviceName}'s MCP server accepted the key through Keywarden's bridge (${tools.length} tool${tools.length === 1 ? '' : 's'}).`
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const last = said
      .trim()
      .split('\n')
      .at(-1)
      ?.replace(/^keywarden[^:]*: /, '')
    let text = error instanceof Error ? error.message.replace(/^MCP error -?\d+: /, '') : String(error)
    if (/Connection closed/i.test(text) && last) text = `the bridge stopped: ${last}`
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || /\bENOENT\b/.test(text))
      text = `the command written in the entry, ${options.command.command}, does not exist (moved or deleted): repair the entry from Keywarden's Tools, then resume`
    if (code === bridgeErrorCodes.keyRejected) return { valid: false, outcome: 'rejected', message: text.slice(0, 400) }
    return {
      valid: false,
      outcome: 'unreachable',
      message: `Could not check the key through Keywarden's bridge: ${text.slice(0, 300)}`
    }
  } finally {
    await client.close().catch(() => undefined)
  }
}
