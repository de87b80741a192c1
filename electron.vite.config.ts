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

export default defineConfig({
  main: {
    build: {
      // Bundled rather than loaded file by file from node_modules, as the command line
      // (vite.cli.config.ts) bundles them: the packaged app answers the same commands.
      externalizeDeps: { exclude: ['zod', 'commander', 'write-file-atomic'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
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
