import { contextBridge, ipcRenderer } from 'electron'
import { EVENT_CHANNEL, channelOf, eventSchema, methods, type AppEvent } from '../shared/contract'
import type { BridgeApi } from '../shared/api'

// One frozen object of named methods, built from the contract table: the page never sees
// ipcRenderer, a channel name or an IPC event object.
const api = Object.fromEntries(
  methods.map((method) => [method, (input: unknown) => ipcRenderer.invoke(channelOf(method), input)])
) as Record<string, unknown>

api['onEvent'] = (listener: (event: AppEvent) => void) => {
  const handler = (_event: unknown, payload: unknown) => {
    const parsed = eventSchema.safeParse(payload)
    if (parsed.success) listener(parsed.data)
  }
  ipcRenderer.on(EVENT_CHANNEL, handler)
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler)
  }
}

contextBridge.exposeInMainWorld('keywarden', Object.freeze(api as BridgeApi))
