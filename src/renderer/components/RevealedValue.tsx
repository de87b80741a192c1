import { useEffect, useState } from 'react'
import { api } from '../api'
import { useApp } from '../stores/app-store'

export interface Revealed {
  secret: string
  left: number
}

/**
 * A key's value, held only while the person wants to see it: fetched by an explicit reveal, and
 * hidden after the time set in Settings (0: only when asked).
 */
export function useRevealed(keyId: string) {
  const autoHide = useApp((s) => s.settings?.autoHideSeconds ?? 30)
  const [revealed, setRevealed] = useState<Revealed>()
  useEffect(() => {
    if (!revealed || autoHide === 0) return
    const t = setTimeout(() => setRevealed((r) => (r && r.left > 1 ? { ...r, left: r.left - 1 } : undefined)), 1000)
    return () => clearTimeout(t)
  }, [revealed, autoHide])
  return {
    revealed,
    autoHide,
    reveal: async () => setRevealed({ secret: (await api['keys.reveal']({ keyId })).secret, left: autoHide }),
    hide: () => setRevealed(undefined)
  }
}

/** The revealed value with its Hide button and countdown. */
export function RevealedValue(props: { revealed: Revealed; autoHide: number; onHide: () => void }) {
  return (
    <div className="reveal">
      <code className="secret" data-testid="revealed-secret">
        {props.revealed.secret}
      </code>
      <div className="actions">
        <button onClick={props.onHide}>Hide</button>
        {props.autoHide > 0 && (
          <span className="muted small" aria-live="off">
            Hides in {props.revealed.left} s
          </span>
        )}
      </div>
    </div>
  )
}
