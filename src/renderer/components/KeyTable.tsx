import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import type { KeyMeta } from '../../shared/schemas'
import { SCOPE_LABEL } from './ImportKeyDialog'

export interface KeyRow {
  key: KeyMeta
  providerName: string
  /** Lybic: the organization the key belongs to (one per key). */
  organization?: string
  ageDays: number
  due?: string
}

export type SortColumn = 'name' | 'prefix' | 'provider' | 'created' | 'lastUsed' | 'expires' | 'status' | 'age'
export interface Sort {
  column: SortColumn
  descending: boolean
}

const COLUMNS: Array<{ id: SortColumn; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'prefix', label: 'Prefix' },
  { id: 'provider', label: 'Provider' },
  { id: 'created', label: 'Created' },
  { id: 'lastUsed', label: 'Last used' },
  { id: 'expires', label: 'Expires' },
  { id: 'status', label: 'Status' },
  { id: 'age', label: 'Age' }
]

const DAY = 86_400_000
export const ageInDays = (iso: string, now: number) => Math.max(0, Math.floor((now - Date.parse(iso)) / DAY))
const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—')

/** The value a column sorts by; missing dates sort last whichever way. */
export function sortValue(row: KeyRow, column: SortColumn): string | number {
  const k = row.key
  switch (column) {
    case 'name':
      return k.name.toLowerCase()
    case 'prefix':
      return k.prefix
    case 'provider':
      return row.providerName.toLowerCase()
    case 'created':
      return k.createdAt
    case 'lastUsed':
      return k.lastUsedAt ?? ''
    case 'expires':
      return k.expiresAt ?? ''
    case 'status':
      return k.status
    case 'age':
      return row.ageDays
  }
}

/**
 * The key list, virtualised so 10,000 rows render as the few dozen on screen. Column headers sort;
 * arrow keys move the selection; the selected row is the one tab stop.
 */
export function KeyTable(props: {
  rows: KeyRow[]
  selectedId?: string
  sort?: Sort
  onSort: (column: SortColumn) => void
  onSelect: (id: string) => void
  onOpen: (id: string) => void
}) {
  const parent = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 40,
    overscan: 12
  })
  const selectedIndex = props.rows.findIndex((r) => r.key.id === props.selectedId)

  const move = (to: number) => {
    const row = props.rows[Math.max(0, Math.min(props.rows.length - 1, to))]
    if (!row) return
    props.onSelect(row.key.id)
    virtualizer.scrollToIndex(props.rows.indexOf(row))
    requestAnimationFrame(() => parent.current?.querySelector<HTMLElement>(`[data-key-id="${row.key.id}"]`)?.focus())
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'BUTTON') return
    const i = selectedIndex < 0 ? 0 : selectedIndex
    if (e.key === 'ArrowDown') move(selectedIndex < 0 ? 0 : i + 1)
    else if (e.key === 'ArrowUp') move(i - 1)
    else if (e.key === 'Home') move(0)
    else if (e.key === 'End') move(props.rows.length - 1)
    else if (e.key === 'PageDown') move(i + 10)
    else if (e.key === 'PageUp') move(i - 10)
    else if ((e.key === 'Enter' || e.key === ' ') && props.rows[i]) props.onOpen(props.rows[i]!.key.id)
    else return
    e.preventDefault()
  }

  return (
    <div className="table">
      {/* Shown only when the list is too narrow for every column (the details panel is open): every sort stays reachable. */}
      <div className="narrow-sort">
        <label htmlFor="narrow-sort">Sort by</label>
        <select id="narrow-sort" value={props.sort?.column ?? ''} onChange={(e) => props.onSort(e.target.value as SortColumn)}>
          {!props.sort && <option value="">—</option>}
          {COLUMNS.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
        {props.sort && (
          <button
            className="small"
            onClick={() => props.onSort(props.sort!.column)}
            aria-label={props.sort.descending ? 'Sorted descending; stop sorting' : 'Sorted ascending; sort descending'}
          >
            {props.sort.descending ? '↓' : '↑'}
          </button>
        )}
      </div>
      <div className="grid" role="grid" aria-label="Keys" aria-rowcount={props.rows.length + 1} onKeyDown={onKeyDown}>
        <div className="row head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => {
            const sorted = props.sort?.column === c.id
            return (
              <span key={c.id} role="columnheader" aria-sort={sorted ? (props.sort!.descending ? 'descending' : 'ascending') : 'none'}>
                <button onClick={() => props.onSort(c.id)} title={`Sort by ${c.label.toLowerCase()}`}>
                  {c.label}
                  {sorted ? (props.sort!.descending ? ' ↓' : ' ↑') : ''}
                </button>
              </span>
            )
          })}
        </div>
        <div ref={parent} className="table-body">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const { key, providerName, organization, ageDays, due } = props.rows[item.index]!
              const selected = key.id === props.selectedId
              return (
                <div
                  key={key.id}
                  data-key-id={key.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  tabIndex={selected || (selectedIndex < 0 && item.index === 0) ? 0 : -1}
                  className={selected ? 'row selected' : 'row'}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => props.onSelect(key.id)}
                  onDoubleClick={() => props.onOpen(key.id)}
                >
                  <span role="gridcell" className="name">
                    {key.name}
                    {!key.inVault && key.status !== 'revoked' && <em className="tag">not in this vault</em>}
                    {due && (
                      <em className="tag warn" title={due}>
                        rotate
                      </em>
                    )}
                    {key.scopes?.map((s) => (
                      <em key={s} className="tag" title="Permissions">
                        {SCOPE_LABEL[s] ?? s}
                      </em>
                    ))}
                    {key.tags?.map((t) => (
                      <em key={t} className="tag user">
                        {t}
                      </em>
                    ))}
                  </span>
                  <span role="gridcell" className="mono">
                    {key.prefix}…
                  </span>
                  <span role="gridcell" title={organization ? `Organization ${organization}` : undefined}>
                    {providerName}
                    {organization && !providerName.includes(organization) && <span className="muted small"> · org {organization}</span>}
                  </span>
                  <span role="gridcell">{day(key.createdAt)}</span>
                  <span role="gridcell">{day(key.lastUsedAt)}</span>
                  <span role="gridcell">{day(key.expiresAt)}</span>
                  <span role="gridcell">
                    <span className={`badge ${key.status}`}>{key.status}</span>
                  </span>
                  <span role="gridcell">{ageDays} d</span>
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}
