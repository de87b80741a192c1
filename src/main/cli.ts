// The command line without Electron: `node out/cli/keywarden.cjs <command>` (built by
// vite.cli.config.ts). Packaged builds reach the same commands through the app binary itself.
import { enableCompileCache } from 'node:module'

declare const __KEYWARDEN_VERSION__: string
declare const __KEYWARDEN_NODE_MIN__: [number, number]

// Started by name, the command line runs on whichever Node comes first on PATH: an older one would
// fail half-way (or crash in the keychain module), and write its own path into clients' entries.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
const [needMajor, needMinor] = typeof __KEYWARDEN_NODE_MIN__ === 'undefined' ? [0, 0] : __KEYWARDEN_NODE_MIN__
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `keywarden: needs Node ${needMajor}.${needMinor} or newer, and ${process.execPath} is Node ${process.versions.node}. Put a newer Node first on your PATH (or run it with one), then try again.\n`
  )
  process.exit(1)
}

// Claude Code runs `mcp-headers` on every connect, and a client starts `mcp-bridge` for every
// session: cache compiled code between runs, and load nothing but what those commands need.
enableCompileCache?.()
const version = typeof __KEYWARDEN_VERSION__ === 'string' ? __KEYWARDEN_VERSION__ : (process.env['npm_package_version'] ?? 'development')

async function main(args: string[]): Promise<void> {
  if (args[0] === 'mcp-headers') {
    const { runMcpHeaders } = await import('./cli/mcp-headers')
    process.exitCode = await runMcpHeaders(args.slice(1), process.env)
  } else if (args[0] === 'mcp-bridge') {
    const { runMcpBridge } = await import('./bridge/run-bridge')
    process.exitCode = await runMcpBridge(args.slice(1), process.env)
    // Nothing may keep a finished bridge alive (a pending request to a server that hangs).
    process.exit()
  } else {
    const { runCli } = await import('./cli/run')
    process.exitCode = await runCli(args, { version })
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
