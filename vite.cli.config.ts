import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }

/**
 * The command line, built apart from the app as CommonJS. It starts on every call (and on every
 * connect, for `mcp-headers` and `mcp-bridge`), and CommonJS starts faster than ES modules here:
 * no ES module linking, and a built-in module is loaded without the facade that evaluates every
 * one of its exports (`node:fs`'s streams, `node:crypto`'s Web Crypto). The packaged app answers
 * the same commands from its own main process.
 */
export default defineConfig({
  // The command line says which version it is however it was started (not only through npm).
  define: { __KEYWARDEN_VERSION__: JSON.stringify(version) },
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
