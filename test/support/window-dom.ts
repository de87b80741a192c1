import { Window } from 'happy-dom'

/**
 * A browser document for component tests, installed when this module is first imported (import
 * it before React, which checks for a document as it loads), set up beside Node's own globals rather than over them:
 * the window's code gets `document`, elements and events, while the real main process running in
 * the same test keeps Node's fetch and timers.
 */
export function installWindow(): { window: Window; remove: () => void } {
  const win = new Window({ url: 'http://localhost/' })
  const added: string[] = []
  const g = globalThis as Record<string, unknown>
  for (const name of Object.getOwnPropertyNames(win)) {
    if (name in g || name.startsWith('_')) continue
    g[name] = (win as unknown as Record<string, unknown>)[name]
    added.push(name)
  }
  g['window'] = win
  g['document'] = win.document
  added.push('window', 'document')
  return {
    window: win,
    remove: () => {
      for (const name of added) delete g[name]
      void win.happyDOM.close()
    }
  }
}

// The window of this test file (each test file runs in a process of its own).
installWindow()
