import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { accounts } from '../../../src/main/vault/secret-store'
import { testContext } from '../../support/context'
import { scoped } from '../../support/scoped'
import { boundSandboxKey, CLI } from './world'

const run = promisify(execFile)
const world = scoped()
const ROOT = resolve(import.meta.dirname, '../../..')
const RUNTIME = resolve(ROOT, 'build/runtime/keywarden-runtime')
const bus = { DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '' }
const bare = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' }

/** The runtime is older than the code it bundles (or missing). */
function stale(): boolean {
  if (!existsSync(RUNTIME)) return true
  const built = statSync(RUNTIME).mtimeMs
  const sources = [
    ...readdirSync(resolve(ROOT, 'src/main/bridge'), { recursive: true, encoding: 'utf8' }).map((f) => resolve(ROOT, 'src/main/bridge', f)),
    resolve(ROOT, 'src/main/cli/mcp-headers.ts'),
    resolve(ROOT, 'src/main/vault/secret-store.ts'),
    resolve(ROOT, 'src/main/providers/catalog.ts'),
    resolve(ROOT, 'scripts/build-runtime.mjs')
  ]
  return sources.some((f) => statSync(f).mtimeMs > built)
}

beforeAll(() => {
  // The packaged app's runtime, built here exactly as `npm run dist` builds it.
  if (stale()) {
    const built = spawnSync(process.execPath, [resolve(ROOT, 'scripts/build-runtime.mjs')], { cwd: ROOT, encoding: 'utf8' })
    if (built.status !== 0) throw new Error(`The runtime did not build:\n${built.stdout}\n${built.stderr}`)
  }
}, 600_000)

describe('the small runtime (a Node single-executable application with keytar.node beside it)', () => {
  it('prints the header JSON for a binding, reading the keychain through the keytar.node beside it', async () => {
    const { ctx, secret, binding } = await boundSandboxKey(world.defer)
    const { stdout } = await run(RUNTIME, ['mcp-headers', binding.id, '--data-dir', ctx.dataDir], { env: { ...bare, ...bus } })
    expect(JSON.parse(stdout)).toEqual({ Authorization: `Bearer ${secret}` })
  })

  it('answers only for the bound server when Claude Code says which server it is connecting to', async () => {
    const { ctx, secret, binding } = await boundSandboxKey(world.defer)
    const asked = (url: string) =>
      run(RUNTIME, ['mcp-headers', binding.id, '--data-dir', ctx.dataDir], {
        env: { ...bare, ...bus, CLAUDE_CODE_MCP_SERVER_URL: url }
      }).catch((e: { code: number; stdout: string; stderr: string }) => e)
    expect(JSON.parse((await asked(`${binding.url}/`)).stdout)).toEqual({ Authorization: `Bearer ${secret}` })
    const stolen = await asked('https://attacker.example/mcp')
    expect(stolen).toMatchObject({ code: 1, stdout: '' })
    expect(stolen.stderr).toContain('hands the key only to the server it was added for')
    expect(stolen.stderr).not.toContain(secret)
  })

  it('runs the bridge: a client lists and calls the tools through it', async () => {
    const { ctx, key, binding } = await boundSandboxKey(world.defer)
    const transport = new StdioClientTransport({
      command: RUNTIME,
      args: ['mcp-bridge', binding.id, '--data-dir', ctx.dataDir],
      env: { ...bare, ...bus }
    })
    const client = new Client({ name: 'runtime-test', version: '1' })
    world.defer(() => client.close())
    await client.connect(transport)
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('whoami')
    expect(JSON.stringify(await client.callTool({ name: 'whoami' }))).toContain(key.prefix)
  })

  it('is what an entry written by the packaged app starts, with no development-tree note', async () => {
    const { ctx } = await testContext({ sandbox: 'start', launcher: { command: RUNTIME, args: [], origin: 'runtime' } })
    world.defer(() => ctx.close())
    const { key } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'packaged' })
    const preview = await ctx.services.bindings.preview({ keyId: key.id, client: 'claude-code', scope: 'user', placement: 'helper' })
    expect(preview.diff).toContain(`${RUNTIME} mcp-headers`)
    expect(preview.notes.join(' ')).not.toContain('development tree')
  })
})

/** Codex runs its headers helper with only HOME and PATH: no DBUS_SESSION_BUS_ADDRESS, no XDG_RUNTIME_DIR. */
describe('a helper started with only HOME and PATH (as Codex starts it) on a Linux desktop', () => {
  const canIsolate = process.platform === 'linux' && spawnSync('unshare', ['-rm', 'true']).status === 0
  it.skipIf(!canIsolate)('finds the session bus at /run/user/<uid>/bus by itself, from the runtime and from the command line', async () => {
    const { ctx, secret, binding, key } = await boundSandboxKey(world.defer)
    const service = `Keywarden (${ctx.dataDir})`
    // A private mount namespace: a session bus and keychain at /run/user/<uid>/bus as a desktop has
    // them, nothing of the machine's own /run/user touched.
    const script = `
set -e
[ -d /run/user ] || mount -t tmpfs tmpfs /run
mkdir -p /run/user && mount -t tmpfs tmpfs /run/user
uid=$(id -u); mkdir -p /run/user/$uid; chmod 700 /run/user/$uid
export XDG_RUNTIME_DIR=/run/user/$uid XDG_DATA_HOME=$(mktemp -d)
bus_pid=$(dbus-daemon --session --address=unix:path=/run/user/$uid/bus --fork --nopidfile --print-pid)
export DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus
eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" > /dev/null
# The forked bus outlives this shell: it stops with it (and the keychain daemon with its bus), so no
# test run leaves either behind.
trap 'kill $bus_pid 2>/dev/null' EXIT
node -e 'require("keytar").setPassword(process.env.KW_SERVICE, process.env.KW_ACCOUNT, process.env.KW_VALUE).then(() => process.exit(0))'
unset KW_VALUE
for cmd in "$KW_RUNTIME" "node $KW_CLI"; do
  env -i HOME="$HOME" PATH="$PATH" $cmd mcp-headers "$KW_BINDING" --data-dir "$KW_DATA"
done
`
    const out = spawnSync('unshare', ['-rm', 'bash', '-c', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...bare,
        KW_SERVICE: service,
        KW_ACCOUNT: accounts.key(key.id),
        KW_VALUE: secret,
        KW_RUNTIME: existsSync(RUNTIME) ? RUNTIME : `node ${CLI}`,
        KW_CLI: CLI,
        KW_BINDING: binding.id,
        KW_DATA: ctx.dataDir
      },
      timeout: 60_000
    })
    const lines = out.stdout.trim().split('\n')
    expect(lines, out.stderr).toHaveLength(2)
    for (const line of lines) expect(JSON.parse(line)).toEqual({ Authorization: `Bearer ${secret}` })
  })
})
