import { useEffect } from 'react'
import { Notices } from './components/Notices'
import { KeysPage } from './pages/KeysPage'
import { ProvidersPage } from './pages/ProvidersPage'
import { RotationsPage } from './pages/RotationsPage'
import { ToolsPage } from './pages/ToolsPage'
import { FindingsPage } from './pages/FindingsPage'
import { ActivityPage } from './pages/ActivityPage'
import { useApp, type Page } from './stores/app-store'

const PAGES: Array<{ id: Page; label: string }> = [
  { id: 'keys', label: 'Keys' },
  { id: 'providers', label: 'Providers' },
  { id: 'tools', label: 'Tools' },
  { id: 'rotations', label: 'Rotations' },
  { id: 'findings', label: 'Findings' },
  { id: 'activity', label: 'Activity' }
]

export function App() {
  const page = useApp((s) => s.page)
  const setPage = useApp((s) => s.setPage)
  const start = useApp((s) => s.start)
  const unfinished = useApp((s) => s.rotations.filter((r) => r.state !== 'done' && r.state !== 'rolled-back').length)
  const due = useApp((s) => s.due.length)
  useEffect(() => start(), [start])
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
            {p.id === 'rotations' && unfinished > 0 && (
              <span className="count" aria-label={`${unfinished} unfinished`}>
                {unfinished}
              </span>
            )}
          </button>
        ))}
      </nav>
      <main className="content">
        <Notices />
        {unfinished > 0 && page !== 'rotations' && (
          <div className="banner info" role="status">
            <span>
              {unfinished === 1 ? 'A key rotation was not finished.' : `${unfinished} key rotations were not finished.`} Your tools still
              work; resume or roll back when you are ready.
            </span>
            <button onClick={() => setPage('rotations')}>Review</button>
          </div>
        )}
        {page === 'keys' && <KeysPage />}
        {page === 'providers' && <ProvidersPage />}
        {page === 'tools' && <ToolsPage />}
        {page === 'rotations' && <RotationsPage />}
        {page === 'findings' && <FindingsPage />}
        {page === 'activity' && <ActivityPage />}
      </main>
    </div>
  )
}
