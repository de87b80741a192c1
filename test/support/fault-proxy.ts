import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FaultRule {
  method?: string
  /** Matched against the path after the base path, e.g. "/auth/api-keys/". */
  path: RegExp
  fault: { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'drop'
  /** How many matching requests fail; afterwards they pass through. */
  times: number
}

/**
 * A proxy in front of a real service on 127.0.0.1 that fails chosen requests the way networks and
 * overloaded services do (5xx, 429 + Retry-After, no answer, dropped connection).
 */
export async function startFaultProxy(target: string) {
  const rules: FaultRule[] = []
  const seen: string[] = []
  const upstream = new URL(target)
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    seen.push(`${req.method} ${path}`)
    const rule = rules.find((r) => r.times > 0 && (!r.method || r.method === req.method) && r.path.test(path))
    if (rule) {
      rule.times--
      if (rule.fault === 'hang') return
      if (rule.fault === 'drop') return void req.socket.destroy()
      res.writeHead(rule.fault.status, { 'content-type': 'application/json', ...rule.fault.headers })
      return void res.end(rule.fault.body ?? '{"detail":"injected failure"}')
    }
    const proxied = request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    proxied.on('error', () => res.destroy())
    req.pipe(proxied)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    fail: (rule: FaultRule) => rules.push(rule),
    clear: () => rules.splice(0),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}
