import { useEffect, useMemo, useRef, useState } from 'react'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { keyCommands, type Command } from './key-actions'
import { MOD, SHORTCUTS } from './shortcuts'

const MAX_KEYS = 8
const MAX_SHOWN = 60

function globalCommands(): Command[] {
  const ui = useUi.getState()
  const app = useApp.getState()
  const go = (page: Parameters<typeof ui.setPage>[0], label: string): Command => ({
    id: `go:${page}`,
    label: `Go to ${label}`,
    group: 'Go to',
    run: () => ui.setPage(page)
  })
  return [
    {
      id: 'new-key',
      label: 'New key',
      group: 'Keys',
      keywords: 'create',
      shortcut: [MOD, 'N'],
      run: () => {
        ui.setPage('keys')
        ui.open({ kind: 'create' })
      }
    },
    { id: 'paste-key', label: 'Paste a key', group: 'Keys', keywords: 'import', run: () => ui.open({ kind: 'import' }) },
    { id: 'search', label: 'Search keys', group: 'Keys', keywords: 'find filter', shortcut: [MOD, 'F'], run: () => ui.focusSearch() },
    { id: 'sync', label: 'Sync every provider', group: 'Keys', keywords: 'refresh', run: () => void app.sync() },
    {
      id: 'rotate-due',
      label: `Rotate all keys due for rotation (${app.due.length})`,
      group: 'Keys',
      disabled: app.due.length ? undefined : 'no key is due',
      run: () => {
        ui.setPage('keys')
        ui.open({ kind: 'rotate-due' })
      }
    },
    { id: 'show-due', label: 'Show keys due for rotation', group: 'Keys', run: () => (ui.setPage('keys'), ui.setChips(['due'])) },
    go('keys', 'Keys'),
    go('providers', 'Providers'),
    go('tools', 'Tools'),
    go('rotations', 'Rotations'),
    go('findings', 'Findings'),
    go('activity', 'Activity'),
    go('settings', 'Settings'),
    {
      id: 'scan',
      label: 'Scan for keys in plain text',
      group: 'Findings',
      keywords: 'findings exposed leaked secure',
      run: () => ui.requestScan()
    },
    { id: 'connect', label: 'Connect a provider', group: 'Providers', run: () => ui.setPage('providers') }
  ]
}

const matches = (c: Command, words: string[]) => {
  const text = `${c.label} ${c.keywords ?? ''} ${c.group}`.toLowerCase()
  return words.every((w) => text.includes(w))
}

/** Ctrl/⌘+K: jump to any key and run any action on it, or anywhere in the window; lists the shortcuts. */
export function CommandPalette() {
  const open = useUi((s) => s.palette)
  if (!open) return null
  return <PaletteBox />
}

function PaletteBox() {
  const setPalette = useUi((s) => s.setPalette)
  const keys = useApp((s) => s.keys)
  const selectedKeyId = useUi((s) => s.selectedKeyId)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const previous = useRef<HTMLElement | null>(null)

  useEffect(() => {
    previous.current = document.activeElement as HTMLElement | null
    input.current?.focus()
    return () => previous.current?.focus?.()
  }, [])

  const items = useMemo(() => {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
    const out: Command[] = []
    if (words.length === 0) {
      const selected = keys.find((k) => k.id === selectedKeyId)
      if (selected) out.push(...keyCommands(selected, MOD))
      out.push(...globalCommands())
      return out
    }
    out.push(...globalCommands().filter((c) => matches(c, words)))
    // Keys whose name or prefix has one of the words; their actions must match every word.
    const found: typeof keys = []
    for (const k of keys) {
      const text = `${k.name} ${k.prefix} ${k.tags?.join(' ') ?? ''}`.toLowerCase()
      if (words.some((w) => text.includes(w))) found.push(k)
      if (found.length >= MAX_KEYS * 4) break
    }
    for (const k of found) {
      const commands = keyCommands(k, MOD).filter((c) => matches(c, words))
      out.push(...commands)
      if (out.length > MAX_SHOWN) break
    }
    return out.slice(0, MAX_SHOWN)
  }, [query, keys, selectedKeyId])
  const current = Math.min(active, Math.max(0, items.length - 1))

  const run = (c: Command | undefined) => {
    if (!c || c.disabled) return
    setPalette(false)
    // The action may open a dialog that takes focus: let the palette hand focus back first.
    setTimeout(c.run, 0)
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((current + 1) % Math.max(1, items.length))
    else if (e.key === 'ArrowUp') setActive((current - 1 + items.length) % Math.max(1, items.length))
    else if (e.key === 'Enter') run(items[current])
    else if (e.key === 'Escape') setPalette(false)
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  useEffect(() => {
    document.getElementById(`palette-item-${current}`)?.scrollIntoView({ block: 'nearest' })
  }, [current])

  return (
    <div className="palette" onMouseDown={(e) => e.target === e.currentTarget && setPalette(false)}>
      <div className="palette-box" role="dialog" aria-modal="true" aria-label="Command palette" onKeyDown={onKeyDown}>
        <input
          ref={input}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={items.length ? `palette-item-${current}` : undefined}
          aria-label="Type a command or a key's name"
          placeholder="Type a command or a key's name…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
        />
        <ul id="palette-list" className="palette-list" role="listbox" aria-label="Commands">
          {items.map((c, i) => (
            <li
              key={c.id}
              id={`palette-item-${i}`}
              role="option"
              aria-selected={i === current}
              aria-disabled={Boolean(c.disabled)}
              onMouseMove={() => i !== current && setActive(i)}
              onClick={() => run(c)}
            >
              <span className={c.disabled ? 'muted' : undefined}>
                {c.label}
                {c.disabled && <span className="small"> — {c.disabled}</span>}
              </span>
              <span className="group">{c.shortcut ? c.shortcut.map((k) => <kbd key={k}>{k}</kbd>) : c.group}</span>
            </li>
          ))}
          {items.length === 0 && (
            <li role="option" aria-selected="false" aria-disabled="true" className="muted">
              Nothing matches “{query}”.
            </li>
          )}
        </ul>
        <div className="palette-foot" aria-label="Keyboard shortcuts">
          {SHORTCUTS.map((s) => (
            <span key={s.what}>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}{' '}
              {s.what}
            </span>
          ))}
        </div>
      </div>
    </div>
  )
}
