// After `npm install`: fetch the Electron binary so `npm start` works at once. Machines that
// cannot download it (set ELECTRON_SKIP_BINARY_DOWNLOAD=1) still build and test everything else.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('keywarden: ELECTRON_SKIP_BINARY_DOWNLOAD is set; not fetching the Electron binary.')
  process.exit(0)
}
const require = createRequire(import.meta.url)
let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  process.exit(0) // production install without dev dependencies
}
if (existsSync(join(electronDir, 'path.txt'))) process.exit(0)
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' })
if (result.status !== 0) {
  console.error('keywarden: could not fetch the Electron binary; `npm start` will try again.')
}
