import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')

async function sources(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sources(path)))
    else if (/\.tsx?$/.test(entry.name)) out.push(path)
  }
  return out
}

// Rules a linter would enforce, checked over the source tree.
describe('source conventions', () => {
  it('only the Electron entry, the window and the IPC binding (and the preload) import electron', async () => {
    const allowed = ['src/main/index.ts', 'src/main/shell/window.ts', 'src/main/ipc/bind-electron.ts', 'src/preload/index.ts']
    const offenders: string[] = []
    for (const file of await sources(join(root, 'src'))) {
      const text = await readFile(file, 'utf8')
      if (/from 'electron'|require\('electron'\)/.test(text) && !allowed.includes(relative(root, file))) offenders.push(relative(root, file))
    }
    expect(offenders).toEqual([])
  })

  it('opens external links only through the checked helper', async () => {
    const offenders: string[] = []
    for (const file of await sources(join(root, 'src'))) {
      const text = await readFile(file, 'utf8')
      for (const line of text.split('\n')) {
        if (/shell\.openExternal\(/.test(line) && !/openExternal\(url, \(u\) => shell\.openExternal\(u\)\)|openUrl: \(url\) => shell\.openExternal\(url\)/.test(line)) offenders.push(`${relative(root, file)}: ${line.trim()}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('keeps the renderer free of Node and of the main process', async () => {
    const offenders: string[] = []
    for (const file of await sources(join(root, 'src/renderer'))) {
      const text = await readFile(file, 'utf8')
      if (/from 'node:|from '\.\.\/\.\.\/main|from '\.\.\/main/.test(text)) offenders.push(relative(root, file))
      // Shared code reaches the window as types only, so no schema library ships to it.
      for (const m of text.matchAll(/^import (?!type)[^\n]*from '\.\.\/(\.\.\/)?shared\/[^']+'/gm)) offenders.push(`${relative(root, file)}: ${m[0]}`)
    }
    expect(offenders).toEqual([])
  })
})
