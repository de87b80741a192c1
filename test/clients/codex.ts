import { execFile, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const CODEX = resolve(import.meta.dirname, '../../node_modules/.bin/codex')
export const KEYWARDEN_CLI = resolve(import.meta.dirname, '../../out/cli/keywarden.cjs')

/**
 * A config.toml as a person keeps it, plus what lets `codex exec` run with no account and no
 * network: a model provider on the sandbox's own address that answers 404 at once, so Codex
 * connects to its MCP servers, fails on the model, and exits.
 */
export async function writeCodexConfig(home: string, sandboxOrigin: string): Promise<string> {
  const file = join(home, '.codex', 'config.toml')
  await mkdir(join(home, '.codex'), { recursive: true })
  await writeFile(
    file,
    `# My Codex settings
model = "gpt-5"   # whatever the account offers
model_provider = "offline"

[model_providers.offline]
name = "offline"
base_url = "${sandboxOrigin}/no-model"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
supports_websockets = false

# A local server with no key
[mcp_servers.docs]
command = "true"
args = [
  "--unused",
]
enabled = false
`
  )
  return file
}

/**
 * Runs the real Codex CLI from the npm registry in a temporary home. With `desktopBus`, it runs in
 * a private mount namespace where the test's session bus sits at `/run/user/<uid>/bus`, as on a
 * desktop: Codex starts helpers and stdio servers with only HOME, PATH and a few locale variables,
 * so that is the only way a keychain-backed command it starts can reach the keychain.
 */
export async function codexIn(
  home: string,
  args: string[],
  options: { env?: Record<string, string>; desktopBus?: boolean; prefix?: string[] } = {}
): Promise<{ code: number; stdout: string; out: string }> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, RUST_LOG: 'error', ...options.env }
  delete env['CODEX_HOME']
  let command = [...(options.prefix ?? []), CODEX, ...args]
  if (options.desktopBus) command = inDesktopSession(command)
  return new Promise((resolve) => {
    // No stdin: `codex exec` would wait for more prompt on an open pipe.
    const child = spawn(command[0]!, command.slice(1), { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, out: stdout + stderr }))
  })
}

/** The session bus's socket, when the tests run inside the private keychain session. */
export const sessionBusSocket = () => /^unix:path=([^,]+)/.exec(process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '')?.[1]

/** A command wrapped to see the session bus at `/run/user/<uid>/bus` only, in its own mount namespace. */
export function inDesktopSession(command: string[]): string[] {
  const script =
    'mount -t tmpfs -o mode=755 keywarden-test /run && mkdir -p "/run/user/$(id -u)" && ln -s "$0" "/run/user/$(id -u)/bus" && exec "$@"'
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, sessionBusSocket() ?? '/nonexistent', ...command]
}

/** Why a desktop-like session bus cannot be set up here, or undefined when it can. */
export async function desktopBusUnavailable(): Promise<string | undefined> {
  if (!sessionBusSocket()) return 'the tests do not run inside a private D-Bus session with a socket path'
  const probe = await run(inDesktopSession(['true'])[0]!, inDesktopSession(['true']).slice(1)).then(
    () => undefined,
    (e: { stderr?: string }) => (e.stderr ?? '').trim() || 'unshare failed'
  )
  return probe && `a private mount namespace is not allowed here (${probe})`
}
