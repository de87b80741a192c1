import type { IncomingMessage } from 'node:http'
import { HttpError } from './request'

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The sandbox answers only requests addressed to it on this machine, and never a web page:
 * - a Host that is not a loopback name (with its own port) is DNS rebinding: a page on
 *   attacker.example made that name resolve to 127.0.0.1;
 * - an Origin of any web page, or a browser's cross-site fetch metadata, is a page posting to it.
 * Programs (MCP clients, the command line) send neither; local apps with their own scheme
 * (vscode-file://) are not web pages.
 */
export function guardRequest(req: IncomingMessage, port: number): void {
  const host = (req.headers.host ?? '').toLowerCase()
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host)
  // The port is not checked: a page cannot choose it differently from where it connects, and a
  // local proxy in front of the sandbox names its own.
  if (!match || !LOOPBACK_NAMES.has(match[1]!)) {
    throw new HttpError(421, 'This service answers only on 127.0.0.1, localhost or [::1]')
  }
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'Cross-site requests are refused')
  }
  const origin = req.headers.origin
  if (origin !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(origin)
    } catch {
      url = undefined
    }
    const web = origin === 'null' || !url || url.protocol === 'http:' || url.protocol === 'https:'
    const own =
      url !== undefined &&
      url.protocol === 'http:' &&
      LOOPBACK_NAMES.has(url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname) &&
      Number(url.port) === port
    if (web && !own) throw new HttpError(403, 'Requests from web pages are refused')
  }
  // A browser's CORS preflight: the sandbox never grants one.
  if (req.method === 'OPTIONS') throw new HttpError(403, 'Requests from web pages are refused')
}
