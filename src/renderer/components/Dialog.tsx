import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react'
import { MessageScope, ScopeMessages, useAttempt } from './message-scope'

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/**
 * A modal dialog: focus moves in and is trapped, Escape closes, focus returns where it was. What
 * goes wrong inside it is said inside it (its own message scope), above its content or next to a
 * field listed in `fields`.
 */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; fields?: string[] }) {
  const ref = useRef<HTMLDivElement>(null)
  const onClose = useEffectEvent(() => props.onClose())
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE)
    first?.focus()
    // Escape closes the topmost dialog even when focus fell out of it (e.g. a button went busy).
    const onEscape = (e: KeyboardEvent) => {
      const dialogs = document.querySelectorAll('[role="dialog"]')
      if (e.key === 'Escape' && dialogs[dialogs.length - 1] === ref.current && !ref.current?.contains(document.activeElement)) onClose()
    }
    window.addEventListener('keydown', onEscape)
    return () => {
      window.removeEventListener('keydown', onEscape)
      previous?.focus?.()
    }
  }, [])
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      props.onClose()
    }
    if (e.key !== 'Tab' || !ref.current) return
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    if (items.length === 0) return
    const first = items[0]!
    const last = items[items.length - 1]!
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        ref={ref}
        className={props.wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        onKeyDown={onKeyDown}
      >
        <MessageScope>
          <header className="dialog-head">
            <h2>{props.title}</h2>
            <button className="icon" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </header>
          <div className="dialog-messages" aria-live="polite">
            <div className="dialog-body" style={{ paddingBottom: 0, paddingTop: 0 }}>
              <ScopeMessages fields={props.fields} />
            </div>
          </div>
          {props.children}
        </MessageScope>
      </div>
    </div>
  )
}

/**
 * Asks before doing something; the action runs while the dialog stays open, so a failure is said
 * inside it, and the dialog closes only once the action succeeded.
 */
export function ConfirmDialog(props: {
  title: string
  body: ReactNode
  confirm: string
  danger?: boolean
  onConfirm: () => Promise<unknown>
  onClose: () => void
}) {
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div className="dialog-body">{props.body}</div>
      <ConfirmFoot {...props} />
    </Dialog>
  )
}

function ConfirmFoot(props: { confirm: string; danger?: boolean; onConfirm: () => Promise<unknown>; onClose: () => void }) {
  const attempt = useAttempt()
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    const ok = await attempt(async () => {
      await props.onConfirm()
      return true
    })
    setBusy(false)
    if (ok) props.onClose()
  }
  return (
    <footer className="dialog-foot">
      <button onClick={props.onClose} data-autofocus>
        Cancel
      </button>
      <button className={props.danger ? 'danger' : 'primary'} onClick={() => void run()} disabled={busy} aria-busy={busy}>
        {props.confirm}
      </button>
    </footer>
  )
}
