import { create } from 'zustand'
import type { AppStatus, ProviderKindInfo, RotationProgress } from '../../shared/contract'
import type { Binding, KeyMeta, Provider, Rotation, Settings } from '../../shared/schemas'
import { api, messageOf, onEvent } from '../api'
import { describeFailure } from '../words'
import { useToasts, type ToastAction } from './toast-store'
import { useUi } from './ui-store'
import { syncToasts, statusToasts } from './standing-toasts'

export type ClientListing = Awaited<ReturnType<(typeof api)['clients.list']>>[number]
export type DueKey = Awaited<ReturnType<(typeof api)['keys.due']>>[number]
export type DriftReport = Awaited<ReturnType<(typeof api)['bindings.drift']>>[number]

/** "Claude Code (user)": where a binding lives, in the words main gives for its client. */
export const whereBound = (clients: ClientListing[], b: { client: string; scope: string }) =>
  `${clients.find((c) => c.client === b.client)?.label ?? b.client} (${b.scope})`

export interface AppState {
  status?: AppStatus
  settings?: Settings
  providers: Provider[]
  catalog: ProviderKindInfo[]
  /** The MCP clients main writes to, as it describes them (names, scopes, placements). */
  clients: ClientListing[]
  keys: KeyMeta[]
  bindings: Binding[]
  rotations: Rotation[]
  due: DueKey[]
  /** Each binding's entry as its file holds it now: intact, changed, missing or unreadable. */
  drift: DriftReport[]
  /** What each running rotation reported last, newest last (its steps and each client's update). */
  progress: Record<string, RotationProgress[]>
  /** The provider connected most recently in this window: New key defaults to it. */
  lastConnected?: string
  loaded: boolean
  syncing: boolean
  notify(kind: 'error' | 'info' | 'success', text: string, options?: { source?: string; action?: ToastAction; key?: string }): void
  /** Runs an action outside any dialog and turns its failure into a toast; resolves undefined on failure. */
  attempt<T>(action: () => Promise<T>, source?: string): Promise<T | undefined>
  loadAll(): Promise<void>
  loadKeys(): Promise<void>
  loadProviders(): Promise<void>
  loadBindings(): Promise<void>
  loadRotations(): Promise<void>
  loadClients(): Promise<void>
  loadSettings(): Promise<void>
  /** Checks every binding's entry against what Keywarden wrote: at start, on focus, after a scan or a change. */
  checkDrift(): Promise<void>
  setLastConnected(providerId: string): void
  sync(providerId?: string): Promise<void>
  start(): () => void
}

let driftChecks = 0
/** The drifted entries (binding and state) the drift toast has told of. */
let driftTold = new Set<string>()

export const useApp = create<AppState>((set, get) => ({
  providers: [],
  catalog: [],
  clients: [],
  keys: [],
  bindings: [],
  rotations: [],
  due: [],
  drift: [],
  progress: {},
  loaded: false,
  syncing: false,
  notify: (kind, text, options) => useToasts.getState().show({ kind, text, ...options }),
  async attempt(action, source) {
    try {
      return await action()
    } catch (error) {
      get().notify('error', describeFailure(messageOf(error)).message, { source })
      return undefined
    }
  },
  async loadKeys() {
    const [keys, due] = await Promise.all([api['keys.list']({}), api['keys.due']({})])
    set({ keys, due })
  },
  async loadProviders() {
    const providers = await api['providers.list']({})
    set({ providers })
    syncToasts(providers, get().catalog)
  },
  async loadBindings() {
    set({ bindings: await api['bindings.list']({}) })
  },
  async loadRotations() {
    const rotations = await api['rotations.list']({})
    set({ rotations })
    if (!rotations.some((r) => r.state !== 'done' && r.state !== 'rolled-back')) useToasts.getState().clear('rotations')
  },
  async loadClients() {
    set({ clients: await api['clients.list']({}) })
  },
  async loadSettings() {
    const settings = await api['settings.get']({})
    set({ settings })
    applyTheme(settings.theme)
  },
  async checkDrift() {
    // Focus, a change and a scan can each start a check: only the latest one's answer is shown.
    const mine = ++driftChecks
    const drift = await api['bindings.drift']({})
    if (mine !== driftChecks) return
    set({ drift })
    const drifted = drift.filter((r) => r.state !== 'intact').map((r) => `${r.bindingId}:${r.state}`)
    if (drifted.length === 0) {
      driftTold = new Set()
      useToasts.getState().clear('drift')
      return
    }
    // Said when an entry drifts that the person has not been told of (at start, on focus, after a
    // scan); a toast still showing keeps its count right as entries are repaired.
    const news = drifted.some((d) => !driftTold.has(d))
    const showing = useToasts.getState().toasts.some((t) => t.key === 'drift')
    driftTold = new Set(drifted)
    if (news || showing)
      get().notify(
        'info',
        `${drifted.length === 1 ? 'An entry Keywarden wrote was' : `${drifted.length} entries Keywarden wrote were`} changed or dropped by its client since.`,
        { key: 'drift', source: 'Tools', action: { label: 'Review', run: () => useUi.getState().setPage('tools') } }
      )
  },
  setLastConnected: (lastConnected) => set({ lastConnected }),
  async loadAll() {
    await get().attempt(async () => {
      const [status, catalog] = await Promise.all([api['app.status']({}), api['providers.catalog']({})])
      set({ status, catalog })
      statusToasts(status)
      await Promise.all([
        get().loadKeys(),
        get().loadProviders(),
        get().loadBindings(),
        get().loadRotations(),
        get().loadClients(),
        get().loadSettings()
      ])
      const unfinished = get().rotations.filter((r) => r.state !== 'done' && r.state !== 'rolled-back').length
      if (unfinished > 0) {
        // Said once at start: rotations left unfinished by an earlier run, not the one the person is watching.
        get().notify(
          'info',
          `${unfinished === 1 ? 'A key rotation was not finished.' : `${unfinished} key rotations were not finished.`} Your clients still work; resume or roll back when you are ready.`,
          { key: 'rotations', source: 'Rotations', action: { label: 'Review', run: () => useUi.getState().setPage('rotations') } }
        )
      }
    })
    set({ loaded: true })
    // Reading every client's config waits until the window is usable; repaired from Tools.
    await get().attempt(get().checkDrift)
  },
  async sync(providerId) {
    set({ syncing: true })
    const result = await get().attempt(() => api['keys.sync']({ providerId }), 'Sync')
    set({ syncing: false })
    if (!result) return
    // Failures show as standing toasts per provider (from the providers' sync state); only success is said here.
    await get().attempt(get().loadProviders)
    // Keys a rotation holds were left as they were: what the service said of them is told, once.
    for (const note of result.providers.flatMap((p) => p.notes ?? []))
      get().notify('info', note, {
        source: 'Sync',
        key: `sync-note:${note}`,
        action: { label: 'Review', run: () => useUi.getState().setPage('rotations') }
      })
    if (result.providers.every((p) => p.ok)) {
      const names = result.providers.map((p) => get().providers.find((x) => x.id === p.providerId)?.name ?? p.providerId)
      get().notify('success', `Synced ${names.join(', ')}.`, { source: 'Sync', key: 'sync-done' })
    }
  },
  start() {
    void get().loadAll()
    // Clients rewrite their files while Keywarden is in the background: check again on focus.
    const onFocus = () => void get().attempt(get().checkDrift)
    window.addEventListener('focus', onFocus)
    const unsubscribe = onEvent((event) => {
      if (event.type === 'rotation.progress') {
        set((s) => ({ progress: { ...s.progress, [event.rotationId]: [...(s.progress[event.rotationId] ?? []), event].slice(-60) } }))
        return
      }
      if (event.type === 'reminder.open') {
        useUi.getState().setPage('keys')
        useUi.getState().setChips(['due'])
        return
      }
      const reload = {
        'keys.changed': get().loadKeys,
        'providers.changed': get().loadProviders,
        'bindings.changed': async () => {
          await get().loadBindings()
          await get().checkDrift()
        },
        'rotations.changed': get().loadRotations,
        'settings.changed': get().loadSettings
      }[event.type]
      void get().attempt(reload)
    })
    return () => {
      window.removeEventListener('focus', onFocus)
      unsubscribe()
    }
  }
}))

/** Follows the OS unless Settings chose light or dark. */
export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset['theme']
  else document.documentElement.dataset['theme'] = theme
}
