// The command line without Electron: `node out/main/cli.js <command>`. Packaged builds reach the
// same commands through the app binary itself.
import { enableCompileCache } from 'node:module'

// Claude Code runs `mcp-headers` on every connect: cache compiled code between runs, and load
// nothing but what that command needs.
enableCompileCache?.()
const args = process.argv.slice(2)
const version = process.env['npm_package_version'] ?? '0.1.0'

try {
  if (args[0] === 'mcp-headers') {
    const { runMcpHeaders } = await import('./cli/mcp-headers')
    process.exitCode = await runMcpHeaders(args.slice(1), process.env)
  } else {
    const { runCli } = await import('./cli/run')
    process.exitCode = await runCli(args, { version })
  }
} catch (error) {
  process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
