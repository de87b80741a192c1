import { create } from 'zustand'

export interface ToastAction {
  label: string
  run: () => void
}

export interface Toast {
  id: number
  /** Toasts with the same key replace each other, and are cleared together when their cause is gone. */
  key: string
  kind: 'error' | 'info' | 'success'
  /** Who is speaking: a provider, "Sync", "Tools"… */
  source?: string
  text: string
  action?: ToastAction
}

interface ToastState {
  toasts: Toast[]
  /** Shows a toast; one with the same key takes the old one's place instead of stacking. */
  show(toast: Omit<Toast, 'id' | 'key'> & { key?: string }): void
  dismiss(id: number): void
  /** The cause is gone: drop the toast it raised, if still there. */
  clear(key: string): void
}

let nextId = 1
const SHORT_MS = 7000
/** What the person dismissed by hand, so the same message is not raised again at the next reload. */
const dismissed = new Map<string, string>()

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  show(toast) {
    const key = toast.key ?? `${toast.kind}:${toast.source ?? ''}:${toast.text}`
    if (dismissed.get(key) === toast.text) return
    const id = nextId++
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.key !== key), { ...toast, key, id }].slice(-4) }))
    // Errors and toasts with an action stay until dealt with; the rest step aside on their own.
    if (toast.kind === 'success' || (toast.kind === 'info' && !toast.action)) setTimeout(() => get().dismiss(id), SHORT_MS)
  },
  dismiss(id) {
    const t = get().toasts.find((x) => x.id === id)
    if (t && t.kind === 'error') dismissed.set(t.key, t.text)
    set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }))
  },
  clear(key) {
    dismissed.delete(key)
    if (get().toasts.some((t) => t.key === key)) set((s) => ({ toasts: s.toasts.filter((t) => t.key !== key) }))
  }
}))
