import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CannedResponse {
  status?: number
  headers?: Record<string, string>
  body?: string
  /** Never answer (to exercise timeouts). */
  hang?: boolean
  /** Drop the connection without an answer. */
  destroy?: boolean
  /** Send the status line, headers and this much of the body, then stall. */
  stallAfter?: string
  /** Stream the body as `count` copies of `chunk`, with no Content-Length. */
  stream?: { chunk: string; count: number }
}

/**
 * A programmable HTTP server on 127.0.0.1 for the failure cases real services produce: canned
 * answers are served in order (the last one repeats), and every request is recorded.
 */
export async function startFaultServer(responses: CannedResponse[]) {
  const queue = [...responses]
  const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const next = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 200, body: '{}' }
      if (next.hang) return
      if (next.destroy) return void req.socket.destroy()
      res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers })
      if (next.stallAfter !== undefined) return void res.write(next.stallAfter)
      if (next.stream) {
        for (let i = 0; i < next.stream.count; i++) res.write(next.stream.chunk)
        return void res.end()
      }
      res.end(next.body ?? '')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    respond: (...more: CannedResponse[]) => queue.splice(0, queue.length, ...more),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}
