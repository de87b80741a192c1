import { useEffect } from 'react'
import { CommandPalette } from './components/CommandPalette'
import { DialogHost } from './components/DialogHost'
import { Toasts } from './components/Toasts'
import { useShortcuts, MOD } from './components/shortcuts'
import { KeysPage } from './pages/KeysPage'
import { ProvidersPage } from './pages/ProvidersPage'
import { RotationsPage } from './pages/RotationsPage'
import { SettingsPage } from './pages/SettingsPage'
import { ToolsPage } from './pages/ToolsPage'
import { FindingsPage } from './pages/FindingsPage'
import { ActivityPage } from './pages/ActivityPage'
import { useApp } from './stores/app-store'
import { useUi, type Page } from './stores/ui-store'

const PAGES: Array<{ id: Page; label: string }> = [
  { id: 'keys', label: 'Keys' },
  { id: 'providers', label: 'Providers' },
  { id: 'tools', label: 'Tools' },
  { id: 'rotations', label: 'Rotations' },
  { id: 'findings', label: 'Findings' },
  { id: 'activity', label: 'Activity' },
  { id: 'settings', label: 'Settings' }
]

export function App() {
  const page = useUi((s) => s.page)
  const setPage = useUi((s) => s.setPage)
  const setPalette = useUi((s) => s.setPalette)
  const start = useApp((s) => s.start)
  const unfinished = useApp((s) => s.rotations.filter((r) => r.state !== 'done' && r.state !== 'rolled-back').length)
  const due = useApp((s) => s.due.length)
  const drifted = useApp((s) => s.drift.filter((r) => r.state !== 'intact').length)
  useEffect(() => start(), [start])
  useShortcuts()
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">Keywarden</div>
        {PAGES.map((p) => (
          <button
            key={p.id}
            className={page === p.id ? 'nav active' : 'nav'}
            aria-current={page === p.id ? 'page' : undefined}
            onClick={() => setPage(p.id)}
          >
            {p.label}
            {p.id === 'keys' && due > 0 && (
              <span className="count warn" aria-label={`${due} due for rotation`}>
                {due}
              </span>
            )}
            {p.id === 'tools' && drifted > 0 && (
              <span className="count warn" aria-label={`${drifted} entr${drifted === 1 ? 'y' : 'ies'} changed by a client`}>
                {drifted}
              </span>
            )}
            {p.id === 'rotations' && unfinished > 0 && (
              <span className="count" aria-label={`${unfinished} unfinished`}>
                {unfinished}
              </span>
            )}
          </button>
        ))}
        <button className="palette-hint" onClick={() => setPalette(true)}>
          Commands <kbd>{MOD}</kbd> <kbd>K</kbd>
        </button>
      </nav>
      <main className="content">
        {page === 'keys' && <KeysPage />}
        {page === 'providers' && <ProvidersPage />}
        {page === 'tools' && <ToolsPage />}
        {page === 'rotations' && <RotationsPage />}
        {page === 'findings' && <FindingsPage />}
        {page === 'activity' && <ActivityPage />}
        {page === 'settings' && <SettingsPage />}
      </main>
      <DialogHost />
      <CommandPalette />
      <Toasts />
    </div>
  )
}
