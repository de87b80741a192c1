// Run as its own process by logged-once.test.ts: an MCP client built on the SDK, as the clients
// people use are, that starts the bridge command it is given and calls a tool on each "call" line.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { createInterface } from 'node:readline'

const [command, ...args] = process.argv.slice(2)
const env = Object.fromEntries(
  ['PATH', 'HOME', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].flatMap((n) => (process.env[n] ? [[n, process.env[n]!]] : []))
)
const client = new Client({ name: 'sdk-client', version: '1' })
await client.connect(new StdioClientTransport({ command: command!, args, env, stderr: 'ignore' }), { timeout: 20_000 })
console.log('ready')
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'call') break
  const result = await client.callTool({ name: 'whoami' }).catch((e: Error) => ({ error: e.message }))
  console.log(JSON.stringify(result))
}
await client.close()
