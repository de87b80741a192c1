import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_PAGE_URL, appFileFor, isAppPage, serveAppFile } from '../../../src/main/shell/app-files'

// The built renderer (npm test builds before running the tests).
const root = resolve('out/renderer')

describe('the window served from app://keywarden/', () => {
  it('serves the built page with its CSP as a header, and every script and stylesheet it names', async () => {
    const page = await serveAppFile(root, { url: APP_PAGE_URL, method: 'GET' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await page.text()
    const refs = [...html.matchAll(/(?:src|href)="(\.\/assets\/[^"]+)"/g)].map((m) => m[1]!)
    expect(refs.some((r) => r.endsWith('.js'))).toBe(true)
    expect(html).toMatch(/<script type="module"[^>]*src="\.\/assets\/[^"]+\.js"/)
    for (const ref of refs) {
      const res = await serveAppFile(root, { url: new URL(ref, APP_PAGE_URL).toString(), method: 'GET' })
      expect(res.status, ref).toBe(200)
      expect(res.headers.get('content-type'), ref).toMatch(ref.endsWith('.js') ? /text\/javascript/ : /text\/css/)
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(resolve(root, ref))), ref).toBe(true)
    }
  })

  it('serves nothing outside the renderer folder, for no other host, and nothing but GET and HEAD', async () => {
    for (const url of [
      'app://keywarden/../main/index.js',
      'app://keywarden/%2e%2e/main/index.js',
      'app://keywarden/..%2fmain%2findex.js',
      'app://keywarden/assets/%00.js',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://keywarden/%E0%A4%A'
    ]) {
      // Dot segments are resolved by the URL itself; whatever is left must stay in the folder.
      const file = appFileFor(root, url)
      expect(file === undefined || file.startsWith(`${root}/`), url).toBe(true)
      expect((await serveAppFile(root, { url, method: 'GET' })).status, url).toBe(404)
    }
    expect((await serveAppFile(root, { url: APP_PAGE_URL, method: 'POST' })).status).toBe(404)
    expect((await serveAppFile(root, { url: 'app://keywarden/nothing-here.js', method: 'GET' })).status).toBe(404)
  })

  it('takes IPC and navigation only from the page itself', () => {
    expect(isAppPage(APP_PAGE_URL)).toBe(true)
    expect(isAppPage(`${APP_PAGE_URL}#/tools`)).toBe(true)
    for (const url of [
      'file:///opt/Keywarden/resources/app.asar/out/renderer/index.html',
      'app://evil/index.html',
      'app://keywarden/other.html',
      `${APP_PAGE_URL}.evil`,
      `${APP_PAGE_URL}?x=1`,
      'https://keywarden/index.html'
    ])
      expect(isAppPage(url), url).toBe(false)
  })
})
