// A direct HTTP MCP client in a process of its own, as a real client is: it connects to the URL
// with the header given in KW_HEADER ("Name: value"), then makes one tools/call per line read
// from stdin and writes back how long it took, in milliseconds.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createInterface } from 'node:readline'

const [name, ...value] = (process.env.KW_HEADER ?? '').split(': ')
const client = new Client({ name: 'bench-direct', version: '1' })
await client.connect(
  new StreamableHTTPClientTransport(new URL(process.argv[2]), { requestInit: { headers: { [name]: value.join(': ') } } })
)
process.stdout.write('ready\n')
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'call') break
  const t = performance.now()
  await client.callTool({ name: 'whoami' })
  process.stdout.write(`${performance.now() - t}\n`)
}
await client.close()
