// The small runtime clients start instead of the whole app: a Node single-executable application
// (scripts/build-runtime.mjs) that answers `mcp-headers` and `mcp-bridge` only, loading the
// keychain module from the keytar.node shipped beside it. No Electron, no window, no services.
const args = process.argv.slice(2)
const usage = 'usage: keywarden-runtime mcp-headers|mcp-bridge <binding-id> [--data-dir <path>] [--keychain-service <name>]\n'

async function main(): Promise<number> {
  const beside = { besideExecutable: process.execPath }
  if (args[0] === 'mcp-headers') {
    const { runMcpHeaders } = await import('../../cli/mcp-headers')
    return runMcpHeaders(args.slice(1), process.env, undefined, beside)
  }
  if (args[0] === 'mcp-bridge') {
    const { runMcpBridge } = await import('../run-bridge')
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

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
