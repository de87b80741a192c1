import { homedir } from 'node:os'
import { KeywardenError } from '../../shared/errors'
import { maskKeyShapes } from '../../shared/secret-shapes'
import { bindingArgs } from '../bridge/binding-args'
import { readBoundKey, sameServer, type BoundKey } from '../bridge/bound-key'
import { openBoundKeychain } from '../bridge/keychain'
import type { SecretStore } from '../vault/secret-store'
import { keyReadLog } from '../activity/key-reads'

/**
 * `keywarden mcp-headers <binding>`: what Claude Code's headersHelper (and Codex's
 * http_headers_helper) runs on every connect. It prints the header JSON for the binding's current
 * key. Claude Code names the server it is connecting to in CLAUDE_CODE_MCP_SERVER_URL: the key is
 * handed over only when that is the server the binding was made for.
 */
export async function mcpHeaders(
  bindingId: string,
  dataDir: string,
  secrets: SecretStore,
  env: Record<string, string | undefined> = {},
  /** Hears the key handed over (the activity log). */
  onHandedOver?: (bound: BoundKey) => void
): Promise<string> {
  const bound = await readBoundKey(bindingId, dataDir, secrets)
  const asked = env['CLAUDE_CODE_MCP_SERVER_URL']
  if (asked !== undefined && !sameServer(asked, bound.url))
    throw new KeywardenError(
      'conflict',
      `This helper belongs to "${bound.serverName}" at ${bound.url}, but the entry running it connects to ${maskKeyShapes(asked).slice(0, 200)}. Keywarden hands the key only to the server it was added for: add the key to that server from Keywarden instead.`
    )
  onHandedOver?.(bound)
  return JSON.stringify({ [bound.header.name]: bound.header.value })
}

/** The command itself: arguments in, header JSON on stdout, a plain message on stderr. */
export async function runMcpHeaders(
  args: string[],
  env: Record<string, string | undefined>,
  dataDirOverride?: string,
  options: { besideExecutable?: string } = {}
): Promise<number> {
  const parsed = bindingArgs(args)
  const usage = `usage: keywarden mcp-headers <binding-id> [--data-dir <path>] [--keychain-service <name>]\n`
  // Asked for by a person: the usage is the answer.
  if ('help' in parsed) {
    process.stdout.write(usage)
    return 0
  }
  if ('usage' in parsed) {
    process.stderr.write(`${usage}${parsed.usage}\n`)
    return 2
  }
  try {
    const { dataDir, secrets } = openBoundKeychain({
      dataDir: parsed.dataDir ?? dataDirOverride,
      keychainService: parsed.keychainService,
      env,
      home: homedir(),
      platform: process.platform,
      uid: process.getuid?.(),
      besideExecutable: options.besideExecutable
    })
    let read: BoundKey | undefined
    process.stdout.write(`${await mcpHeaders(parsed.bindingId, dataDir, secrets, env, (b) => (read = b))}\n`)
    // Logged once the client has its answer: the parent process is looked up after the write.
    if (read) await keyReadLog(dataDir, 'helper', { env }).record(read)
    return 0
  } catch (error) {
    process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
