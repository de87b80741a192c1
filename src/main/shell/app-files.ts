import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { buildCsp } from './csp'

/**
 * The window's page is served from `app://keywarden/`, a privileged standard and secure scheme:
 * it has a real origin (so the CSP's 'self' means the app's own files and nothing else on disk),
 * gets the CSP as a header, and loads its module script without file:// privileges, which the
 * packaged build turns off (grantFileProtocolExtraPrivileges: false).
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'keywarden'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`

/** Whether a URL is the window's own page (a hash route at most): IPC and navigation allow only it. */
export function isAppPage(url: string, page: string = APP_PAGE_URL): boolean {
  return url === page || url.startsWith(`${page}#`)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8'
}

/** The file under `root` that an app:// URL names, or undefined for anything else. */
export function appFileFor(root: string, url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return undefined
  }
  if (pathname.includes('\0')) return undefined
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`)
  const rel = path.relative(root, file)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? file : undefined
}

/** Answers one request for the app's own files: GET or HEAD of a file under `root`, nothing else. */
export async function serveAppFile(root: string, request: { url: string; method: string }): Promise<Response> {
  const file = appFileFor(root, request.url)
  if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) return new Response('Not found', { status: 404 })
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    return new Response('Not found', { status: 404 })
  }
  const headers = {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-security-policy': buildCsp(),
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin'
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
}
