import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { homedir } from 'node:os'
import { readBoundKey } from './bound-key'
import { openBoundKeychain } from './keychain'
import { createKeySource } from './key-source'
import { keyedFetch, retryAfterMs } from './keyed-fetch'
import { httpFetch } from './http-fetch'
import { startRelay } from './relay'
import { scrub } from './bridge-errors'
import { openUpstream } from './upstream'
import { bindingArgs } from './binding-args'
import { keyReadLog } from '../activity/key-reads'

export interface BridgeOptions {
  /** The app's own data folder, when the packaged app runs the command (Electron's userData). */
  dataDir?: string
  /** The small runtime passes its own path: keytar.node sits beside it. */
  besideExecutable?: string
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
}

/**
 * `keywarden mcp-bridge <binding>`: a stdio MCP server that a client launches. It reads the
 * binding's server and key (vault.json and the keychain, nothing else), connects to the remote
 * server and forwards every message both ways with the key's header added. Nothing secret is in its
 * arguments, its environment, its output or its errors. Resolves when the client closes stdin.
 */
export async function runMcpBridge(args: string[], env: Record<string, string | undefined>, options: BridgeOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr
  const parsed = bindingArgs(args)
  const usage = `usage: keywarden mcp-bridge <binding-id> [--data-dir <path>] [--keychain-service <name>]\n`
  // Asked for by a person: the usage is the answer.
  if ('help' in parsed) {
    process.stdout.write(usage)
    return 0
  }
  if ('usage' in parsed) {
    stderr.write(`${usage}${parsed.usage}\n`)
    return 2
  }
  const { dataDir, secrets } = openBoundKeychain({
    dataDir: parsed.dataDir ?? options.dataDir,
    keychainService: parsed.keychainService,
    env,
    home: homedir(),
    platform: process.platform,
    uid: process.getuid?.(),
    besideExecutable: options.besideExecutable
  })
  // Every keychain read is logged (the first, and each after a 401), without waiting for the line.
  const reads = keyReadLog(dataDir, 'bridge', { env })
  const keys = createKeySource(() => readBoundKey(parsed.bindingId, dataDir, secrets).then((key) => (void reads.record(key), key)))
  // Read the key while the client is still starting: it is needed for the first message.
  keys.current().catch(() => undefined)
  const log = (line: string) => stderr.write(`keywarden mcp-bridge: ${scrub(line, keys.secrets)}\n`)
  let retryAfter: number | undefined
  let label = `the server of binding ${parsed.bindingId}`
  const client = new StdioServerTransport(options.stdin as never, options.stdout as never)
  const relay = startRelay({
    client,
    keys,
    server: () => label,
    retryAfterMs: () => retryAfter,
    log,
    async open(initialize, handlers) {
      const key = await keys.current()
      const url = new URL(key.url)
      label = `"${key.serverName}" (${url.origin})`
      const onStreamEnd = (body: string, resumable: boolean) => relay.streamEnded(body, resumable)
      const fetch = keyedFetch(keys, { fetch: watch429(httpFetch({ onStreamEnd }), (ms) => (retryAfter = ms)) })
      return openUpstream(url, fetch, initialize, handlers)
    }
  })
  const stdin = options.stdin ?? process.stdin
  await client.start()
  await new Promise<void>((resolve) => {
    stdin.once('end', resolve)
    stdin.once('close', resolve)
    stdin.once('error', resolve)
  })
  // Replies to requests read before the input closed are still written (a piped script reads them);
  // a client that closes to stop the bridge has nothing pending and sees it exit at once.
  await relay.close({ drainMs: 1500 })
  await reads.settled()
  return 0
}

/** Remembers the Retry-After of each 429, so the client is told how long to wait. */
function watch429(inner: typeof fetch, remember: (ms: number | undefined) => void): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const response = await inner(input, init)
    if (response.status === 429) remember(retryAfterMs(response.headers.get('retry-after')))
    return response
  }) as typeof fetch
}
