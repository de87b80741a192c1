import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { writeVaultAsAnotherProcess } from '../test/support/vault-file'
import { expect, it } from 'vitest'
import { launchChromium } from '../test/e2e/browser'
import { startHarness } from '../test/e2e/harness'
import { median, report } from './report'

/** A bare React page: the same 10,000 keys from the same endpoint, as plain rows, no app around it. */
async function buildBarePage(): Promise<{ html: string; js: string }> {
  const dir = resolve('node_modules/.cache/keywarden-bench-bare')
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'bare.ts'),
    `import { createElement as h } from 'react'
import { createRoot } from 'react-dom/client'
import { writeVaultAsAnotherProcess } from '../test/support/vault-file'
const res = await fetch('/ipc/keys.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":{}}' })
const { data } = await res.json()
function List() {
  return h('div', null, h('p', { id: 'count' }, data.length + ' keys'), data.map((k) => h('div', { key: k.id, className: 'row' }, h('span', null, k.name), h('span', null, k.prefix), h('span', null, k.status))))
}
createRoot(document.getElementById('root')).render(h(List))
`
  )
  await build({
    configFile: false,
    logLevel: 'silent',
    root: dir,
    build: { outDir: join(dir, 'dist'), minify: true, lib: { entry: join(dir, 'bare.ts'), formats: ['es'], fileName: () => 'bare.js' } },
    define: { 'process.env.NODE_ENV': '"production"' }
  })
  return {
    html: '<!doctype html><html><body><div id="root"></div><script type="module" src="/bare/bare.js"></script></body></html>',
    js: await readFile(join(dir, 'dist', 'bare.js'), 'utf8')
  }
}

it('first render of 10,000 keys in Chromium vs a bare React list', async () => {
  const harness = await startHarness()
  const at = new Date().toISOString()
  await writeVaultAsAnotherProcess(harness.ctx.dataDir, (d) => {
    for (let i = 0; i < 10_000; i++) {
      d.keys.push({
        id: `bench-${i}`,
        providerId: 'sandbox',
        name: `bench key ${i}`,
        prefix: `sbx_${String(i).padStart(4, '0')}`,
        createdAt: at,
        status: i % 7 ? 'active' : 'inactive',
        inVault: true,
        addedAt: at
      })
    }
  })
  const bare = await buildBarePage()
  const browser = await launchChromium()
  const measure = async (url: string, ready: string) => {
    const page = await browser.newPage()
    await page.route('**/bare/**', (route) =>
      route.request().url().endsWith('.js')
        ? route.fulfill({ contentType: 'text/javascript', body: bare.js })
        : route.fulfill({ contentType: 'text/html', body: bare.html })
    )
    const t = performance.now()
    await page.goto(url)
    await page.locator(ready).first().waitFor({ timeout: 60_000 })
    const ms = performance.now() - t
    await page.close()
    return ms
  }
  const app = await median(5, () => measure(harness.url, '[data-ready="true"]:has-text("10,000 keys")'))
  const baseline = await median(5, () => measure(`${harness.url}bare/index.html`, '#count:has-text("10000 keys")'))
  expect(app).toBeGreaterThan(0)
  report('first render of 10,000 keys', {
    value: app,
    baseline,
    unit: 'ms',
    target: '≤ 1.0×',
    note: 'baseline: bare React page rendering the same list from the same endpoint'
  })
  await browser.close()
  await harness.close()
})
