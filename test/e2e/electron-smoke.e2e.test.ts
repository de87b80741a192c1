import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { _electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '../support/temp-folder'

/** Where `npm install` put the Electron binary, if it could download it. */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return undefined
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

const binary = electronBinary()
if (!binary) {
  console.log(
    '[electron smoke] skipped: the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD, or no download possible). `npm install` fetches it on a normal machine.'
  )
}

describe('the real Electron app', () => {
  it.skipIf(!binary)('starts, shows the keys page with its preload bridge, and refuses navigation away', async () => {
    // A vault of its own in a temporary folder: the smoke test never touches the person's data.
    const dataDir = await tempFolder('kw-electron-')
    const app = await _electron.launch({
      executablePath: binary,
      args: [resolve('out/main/index.js'), '--no-sandbox'],
      env: { ...process.env, NODE_ENV: 'production', KEYWARDEN_DATA_DIR: dataDir }
    })
    try {
      const win = await app.firstWindow()
      await win.getByRole('heading', { name: 'Keys' }).waitFor({ timeout: 30_000 })
      expect(await win.evaluate(() => typeof (window as unknown as { keywarden?: unknown }).keywarden)).toBe('object')
      expect(await win.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')
      // Served from the privileged app:// scheme with a real origin; the module script loaded.
      expect(await win.evaluate(() => window.location.origin)).toBe('app://keywarden')
      expect(await win.evaluate(() => document.querySelectorAll('script[type="module"]').length)).toBe(1)
      await win.evaluate(() => {
        window.location.href = 'https://example.com'
      })
      await win.waitForTimeout(500)
      expect(win.url()).toMatch(/^app:\/\/keywarden\/index\.html/)
    } finally {
      await app.close()
    }
  })
})
