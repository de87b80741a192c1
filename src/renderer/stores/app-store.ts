import { create } from 'zustand'
import type { AppStatus, ProviderKindInfo } from '../../shared/contract'
import type { Binding, KeyMeta, Provider, Rotation } from '../../shared/schemas'
import { api, messageOf, onEvent } from '../api'

export type ClientListing = Awaited<ReturnType<(typeof api)['clients.list']>>[number]

/** "Claude Code (user)": where a binding lives, in the words main gives for its client. */
export const whereBound = (clients: ClientListing[], b: Pick<Binding, 'client' | 'scope'>) =>
  `${clients.find((c) => c.client === b.client)?.label ?? b.client} (${b.scope})`

export type Page = 'keys' | 'providers' | 'tools' | 'rotations' | 'findings' | 'activity'

interface Notice {
  id: number
  kind: 'error' | 'info' | 'success'
  text: string
}

interface AppState {
  page: Page
  status?: AppStatus
  providers: Provider[]
  catalog: ProviderKindInfo[]
  /** The MCP clients main writes to, as it describes them (names, scopes, placements). */
  clients: ClientListing[]
  keys: KeyMeta[]
  bindings: Binding[]
  rotations: Rotation[]
  due: Array<{ keyId: string; reason: string; days: number; message: string }>
  loaded: boolean
  syncing: boolean
  notices: Notice[]
  setPage(page: Page): void
  notify(kind: Notice['kind'], text: string): void
  dismiss(id: number): void
  /** Runs an action and turns its failure into a banner; resolves undefined on failure. */
  attempt<T>(action: () => Promise<T>): Promise<T | undefined>
  loadAll(): Promise<void>
  loadKeys(): Promise<void>
  loadProviders(): Promise<void>
  loadBindings(): Promise<void>
  loadRotations(): Promise<void>
  loadClients(): Promise<void>
  sync(): Promise<void>
  start(): () => void
}

let nextNotice = 1
const SUCCESS_MS = 8000

export const useApp = create<AppState>((set, get) => ({
  page: 'keys',
  providers: [],
  catalog: [],
  clients: [],
  keys: [],
  bindings: [],
  rotations: [],
  due: [],
  loaded: false,
  syncing: false,
  notices: [],
  setPage: (page) => set({ page }),
  notify: (kind, text) => {
    const id = nextNotice++
    set((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { id, kind, text }].slice(-4) }))
    // Errors stay until dismissed; confirmations step aside on their own.
    if (kind !== 'error') setTimeout(() => get().dismiss(id), SUCCESS_MS)
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  async attempt(action) {
    try {
      return await action()
    } catch (error) {
      get().notify('error', messageOf(error))
      return undefined
    }
  },
  async loadKeys() {
    const [keys, due] = await Promise.all([api['keys.list']({}), api['keys.due']({})])
    set({ keys, due })
  },
  async loadProviders() {
    set({ providers: await api['providers.list']({}) })
  },
  async loadBindings() {
    set({ bindings: await api['bindings.list']({}) })
  },
  async loadRotations() {
    set({ rotations: await api['rotations.list']({}) })
  },
  async loadClients() {
    set({ clients: await api['clients.list']({}) })
  },
  async loadAll() {
    await get().attempt(async () => {
      const [status, catalog] = await Promise.all([api['app.status']({}), api['providers.catalog']({})])
      set({ status, catalog })
      await Promise.all([get().loadKeys(), get().loadProviders(), get().loadBindings(), get().loadRotations(), get().loadClients()])
    })
    set({ loaded: true })
  },
  async sync() {
    set({ syncing: true })
    const result = await get().attempt(() => api['keys.sync']({}))
    set({ syncing: false })
    if (!result) return
    const failed = result.providers.filter((p) => !p.ok)
    if (failed.length) for (const f of failed) get().notify('error', f.error ?? 'Sync failed.')
    else get().notify('success', `Synced ${result.providers.length} provider${result.providers.length === 1 ? '' : 's'}.`)
  },
  start() {
    void get().loadAll()
    return onEvent((event) => {
      const reload = {
        'keys.changed': get().loadKeys,
        'providers.changed': get().loadProviders,
        'bindings.changed': get().loadBindings,
        'rotations.changed': get().loadRotations
      }[event.type]
      void get().attempt(reload)
    })
  }
}))
