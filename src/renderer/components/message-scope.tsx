import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { messageOf } from '../api'
import { useApp } from '../stores/app-store'
import { describeFailure } from '../words'

interface Messages {
  error?: string
  /** The field the error is about, when it names one: it is shown next to that field. */
  field?: string
  note?: string
}

interface Scope {
  messages: Messages
  fail(message: string, field?: string): void
  note(message: string): void
  clear(): void
}

const ScopeContext = createContext<Scope | null>(null)

/**
 * Holds the messages of one dialog or form: whatever goes wrong inside it is said inside it (next
 * to the field when it is about a field), never in a toast behind its overlay.
 */
export function MessageScope(props: { children: ReactNode }) {
  const [messages, setMessages] = useState<Messages>({})
  // The functions stay the same for the scope's life, so effects that use them do not run again.
  const actions = useMemo(
    () => ({
      fail: (error: string, field?: string) => setMessages({ error, field }),
      note: (note: string) => setMessages({ note }),
      clear: () => setMessages({})
    }),
    []
  )
  const scope = useMemo<Scope>(() => ({ messages, ...actions }), [messages, actions])
  return <ScopeContext.Provider value={scope}>{props.children}</ScopeContext.Provider>
}

/** The scope's message that is not about one field (or about a field not shown), and its notes. */
export function ScopeMessages(props: { fields?: string[] }) {
  const scope = useContext(ScopeContext)
  const m = scope?.messages
  if (!m) return null
  // Fields named "<field>:<which>" are the window's own, always shown next to their field.
  const general = m.error && !(m.field && (props.fields?.includes(m.field) || m.field.includes(':')))
  return (
    <>
      {general && <GeneralError text={m.error!} />}
      {m.note && (
        <p className="dialog-note" role="status">
          {m.note}
        </p>
      )}
    </>
  )
}

/** An error not about one field (a dialog keeps it in view at its top; a page form says it above its buttons). */
function GeneralError(props: { text: string }) {
  return (
    <p className="dialog-error" role="alert">
      {props.text}
    </p>
  )
}

/**
 * An error about one field, shown right under it. The field comes into view and takes focus, so
 * the person sees it even when the button they pressed is far below it in a tall form.
 */
export function FieldError(props: { field: string; id?: string }) {
  const m = useContext(ScopeContext)?.messages
  const shown = m?.error && m.field === props.field ? m.error : undefined
  const ref = useRef<HTMLSpanElement>(null)
  useEffect(() => {
    if (!shown || !ref.current) return
    const control = ref.current.closest('label, .field')?.querySelector<HTMLElement>('input, select, textarea')
    control?.focus({ preventScroll: true })
    ref.current.closest('label, .field')?.scrollIntoView({ block: 'nearest' })
  }, [shown, m])
  if (!shown) return null
  return (
    <span ref={ref} className="field-error" role="alert" id={props.id}>
      {shown}
    </span>
  )
}

/** Whether the scope's error is about this field (for aria-invalid). */
export function useFieldInvalid(field: string): boolean {
  const m = useContext(ScopeContext)?.messages
  return Boolean(m?.error && m.field === field)
}

/** The field the scope's error is about, if any (for aria-invalid on fields named per item). */
export function useInvalidField(): string | undefined {
  const m = useContext(ScopeContext)?.messages
  return m?.error ? m.field : undefined
}

/**
 * Runs an action: inside a dialog or form its failure is said there; elsewhere as a toast. The
 * previous message clears when a new action starts.
 */
export function useAttempt() {
  const scope = useContext(ScopeContext)
  const fail = scope?.fail
  const clear = scope?.clear
  const toast = useApp((s) => s.attempt)
  const attempt = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      if (!fail || !clear) return toast(action)
      clear()
      try {
        return await action()
      } catch (error) {
        const { message, field } = describeFailure(messageOf(error))
        fail(message, field)
        return undefined
      }
    },
    [fail, clear, toast]
  )
  return attempt
}

/** Says something inside the current dialog or form ("Copied…"); a toast outside one. */
export function useNote() {
  const scope = useContext(ScopeContext)
  const notify = useApp((s) => s.notify)
  const say = scope?.note
  return useCallback((text: string) => (say ? say(text) : notify('success', text)), [say, notify])
}

/** Reports a problem found before any request (a field left empty). */
export function useFail() {
  const scope = useContext(ScopeContext)
  const notify = useApp((s) => s.notify)
  const fail = scope?.fail
  return useCallback((text: string, field?: string) => (fail ? fail(text, field) : notify('error', text)), [fail, notify])
}
