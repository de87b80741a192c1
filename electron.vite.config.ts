import { readFileSync } from 'node:fs'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { buildCsp } from './src/main/shell/csp'

/**
 * Puts the production Content-Security-Policy into the page itself too: app:// sends it as a header,
 * and the meta copy keeps it in force wherever the built page is opened some other way.
 */
function cspMeta(): Plugin {
  return {
    name: 'keywarden-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: buildCsp() }, injectTo: 'head-prepend' }
    ]
  }
}

const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }

export default defineConfig({
  main: {
    // The command line says which version it is however it was started (not only through npm).
    define: { __KEYWARDEN_VERSION__: JSON.stringify(version) },
    build: {
      // Bundled rather than loaded file by file from node_modules: the command line starts on every
      // call, and resolving a few hundred module files is most of a short command's time.
      externalizeDeps: { exclude: ['zod', 'commander', 'write-file-atomic'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli.ts'),
          'sandbox-standalone': resolve('src/main/sandbox-standalone.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can only require 'electron': bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), cspMeta()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
