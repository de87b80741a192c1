import { mkdir, readFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import type { Page } from 'playwright-core'
import { methods, type AppEvent } from '../../src/shared/contract'
import { testContext } from '../support/context'

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml'
}
const RENDERER = join(import.meta.dirname, '../../out/renderer')

/**
 * Serves the built window and stands in for Electron's IPC only: `window.keywarden` is defined by
 * /bridge.js, whose methods POST to /ipc/<method>, where the real main-process dispatch runs.
 */
export async function startHarness(
  options: Parameters<typeof testContext>[0] = {},
  transport: { delayMs?: Partial<Record<string, number>>; answerDelayMs?: Partial<Record<string, number>> } = {}
) {
  // The system folder picker cannot open here: it answers with one fixed project folder in the home.
  let project = ''
  const { ctx, clipboard, secrets, root } = await testContext({ pickFolder: async () => project, ...options })
  project = join(ctx.home, 'src', 'picked-project')
  await mkdir(project, { recursive: true })
  const { dispatch } = ctx
  const streams = new Set<ServerResponse>()
  const send = (event: AppEvent) => {
    for (const res of streams) res.write(`data: ${JSON.stringify(event)}\n\n`)
  }
  const unsubscribe = ctx.onEvent(send)
  const received: unknown[] = []
  const answered: string[] = []
  let eventsOpen: () => void = () => {}
  const eventsConnected = new Promise<void>((r) => (eventsOpen = r))

  const bridge = `(() => {
  const call = (method) => async (input) => {
    const res = await fetch('/ipc/' + method, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input }) })
    return res.json()
  }
  const api = {}
  for (const m of ${JSON.stringify(methods)}) api[m] = call(m)
  api.onEvent = (listener) => {
    const source = new EventSource('/events')
    source.onmessage = (e) => listener(JSON.parse(e.data))
    return () => source.close()
  }
  window.keywarden = Object.freeze(api)
})()`

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://harness')
      if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
        let body = ''
        for await (const chunk of req) body += chunk
        const { input } = JSON.parse(body || '{}') as { input?: unknown }
        const method = decodeURIComponent(url.pathname.slice(5))
        // A slow main process (a busy machine, a slow keychain): some answers arrive late.
        if (transport.delayMs?.[method]) await new Promise((r) => setTimeout(r, transport.delayMs![method]))
        const result = await dispatch(method, input)
        // A slow answer after the work is done (a busy IPC channel): events sent meanwhile arrive first.
        if (transport.answerDelayMs?.[method]) await new Promise((r) => setTimeout(r, transport.answerDelayMs![method]))
        received.push(result)
        answered.push(method)
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end(JSON.stringify(result))
      }
      if (url.pathname === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
        res.write(': open\n\n')
        streams.add(res)
        eventsOpen()
        req.on('close', () => streams.delete(res))
        return
      }
      if (url.pathname === '/bridge.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        return void res.end(bridge)
      }
      const path = url.pathname === '/' ? '/index.html' : url.pathname
      const file = normalize(join(RENDERER, path))
      if (!file.startsWith(RENDERER)) return void res.writeHead(403).end()
      let content: Buffer | string = await readFile(file)
      if (path === '/index.html') {
        // The only change to the built page: the bridge script, same-origin so the CSP allows it.
        content = content.toString('utf8').replace('<script type="module"', '<script src="/bridge.js"></script>\n    <script type="module"')
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      res.end(content)
    } catch {
      if (!res.headersSent) res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    ctx,
    clipboard,
    secrets,
    root,
    /** Pushes an event to the window as the shell would (a reminder clicked, a file changed by another process). */
    emit: send,
    /** The folder the folder picker answers with. */
    project,
    /** Every IPC result the window received, to check what reached it. */
    received,
    /** The methods whose answers reached the window, in order. */
    answered,
    /**
     * Loads the window in a tab and waits until it shows the keys page and listens for events
     * (Electron's IPC listener is attached synchronously; the harness's event stream is not).
     */
    async show(page: Page): Promise<Page> {
      // A step that cannot happen fails on its own, naming what it waited for, well inside the test's time.
      page.setDefaultTimeout(12_000)
      await page.goto(this.url)
      await Promise.all([page.getByRole('heading', { name: 'Keys', exact: true }).waitFor(), eventsConnected])
      return page
    },
    async close() {
      unsubscribe()
      for (const s of streams) s.end()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      await ctx.close()
    }
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>
