// The small runtime clients start instead of the whole app: a Node single-executable application
// (scripts/build-runtime.mjs) that answers `mcp-headers` and `mcp-bridge` only, loading the
// keychain module from the keytar.node shipped beside it. No Electron, no window, no services.
import { startupSnapshot } from 'node:v8'
import { runMcpHeaders } from '../../cli/mcp-headers'
import { runMcpBridge } from '../run-bridge'

const usage = 'usage: keywarden-runtime mcp-headers|mcp-bridge <binding-id> [--data-dir <path>] [--keychain-service <name>]\n'

async function main(args: string[]): Promise<number> {
  const beside = { besideExecutable: process.execPath }
  if (args[0] === 'mcp-headers') return runMcpHeaders(args.slice(1), process.env, undefined, beside)
  if (args[0] === 'mcp-bridge') {
    const code = await runMcpBridge(args.slice(1), process.env, beside)
    // Nothing may keep a finished bridge alive (a request to a server that never answers).
    process.exit(code)
  }
  if (args[0] === '--version') {
    process.stdout.write(`${process.env['KEYWARDEN_RUNTIME_VERSION'] ?? ''}${RUNTIME_VERSION}\n`)
    return 0
  }
  process.stderr.write(usage)
  return 2
}

declare const RUNTIME_VERSION: string

function start() {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    }
  )
}

// Built with a V8 startup snapshot, every module above is already evaluated in the executable:
// a client waits only for Node to start and the keychain to answer.
if (startupSnapshot?.isBuildingSnapshot()) startupSnapshot.setDeserializeMainFunction(start)
else start()
