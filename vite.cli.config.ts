import { chmodSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'

const { version, engines } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string; engines: { node: string } }
// The oldest Node the command line runs on, from package.json's `engines` (">=22.12").
const [nodeMajor = 0, nodeMinor = 0] = (/>=\s*(\d+)(?:\.(\d+))?/.exec(engines.node) ?? []).slice(1).map((n) => Number(n ?? 0))

/** The built `bin` is a program: executable however often it is rebuilt (npm sets the bit only on install). */
function executableBin(): Plugin {
  return {
    name: 'keywarden-executable-bin',
    apply: 'build',
    writeBundle(output, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === 'chunk' && chunk.isEntry) chmodSync(join(output.dir ?? 'out/cli', chunk.fileName), 0o755)
    }
  }
}

/**
 * The command line, built apart from the app as CommonJS. It starts on every call (and on every
 * connect, for `mcp-headers` and `mcp-bridge`), and CommonJS starts faster than ES modules here:
 * no ES module linking, and a built-in module is loaded without the facade that evaluates every
 * one of its exports (`node:fs`'s streams, `node:crypto`'s Web Crypto). The packaged app answers
 * the same commands from its own main process.
 */
export default defineConfig({
  // The command line says which version it is however it was started (not only through npm).
  define: {
    __KEYWARDEN_VERSION__: JSON.stringify(version),
    __KEYWARDEN_NODE_MIN__: JSON.stringify([nodeMajor, nodeMinor])
  },
  plugins: [executableBin()],
  build: {
    ssr: resolve('src/main/cli.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rollupOptions: {
      output: {
        format: 'cjs',
        entryFileNames: 'keywarden.cjs',
        chunkFileNames: 'chunks/[name]-[hash].cjs',
        // The package's `bin`: started by name, it says which interpreter runs it.
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : '')
      }
    }
  },
  // Bundled rather than loaded file by file from node_modules (resolving a few hundred module files
  // would be most of a short command's time), and so that packages published only as ES modules
  // load in CommonJS. keytar is a native module and stays a file of its own.
  ssr: { noExternal: true, external: ['keytar'] }
})
