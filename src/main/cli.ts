// The command line without Electron: `node out/main/cli.js <command>`. Packaged builds reach the
// same commands through the app binary itself.
import { runCli } from './cli/run'

const version = process.env['npm_package_version'] ?? '0.1.0'
runCli(process.argv.slice(2), { version }).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`keywarden: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
)
