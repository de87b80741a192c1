// The Local sandbox key service on its own, for development and for trying clients against it:
//   node out/main/sandbox-standalone.js --port 4870 --data-dir ~/.keywarden-sandbox
// (`npm run sandbox` serves the vault's own sandbox instead: `keywarden sandbox`.)
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startSandbox } from './sandbox/server'

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' } }
})
if (values.help) {
  process.stdout.write('Usage: keywarden-sandbox [--port N] [--data-dir PATH]\n')
  process.exit(0)
}
const dataDir = values['data-dir'] ?? join(homedir(), '.keywarden-sandbox')
await mkdir(dataDir, { recursive: true, mode: 0o700 })
const sandbox = await startSandbox({ dataDir, port: values.port ? Number(values.port) : undefined })
process.stdout.write(
  [
    `Keywarden sandbox key service`,
    `  key API:  ${sandbox.url}`,
    `  MCP:      ${sandbox.mcpUrl}`,
    `  data:     ${dataDir}`,
    `Create an account: curl -X POST ${sandbox.url}/auth/register -H 'content-type: application/json' -d '{"email":"me@example.com","password":"a-long-password"}'`,
    ''
  ].join('\n')
)
const stop = () => void sandbox.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
