import { contextBridge, ipcRenderer } from 'electron'
import { EVENT_CHANNEL, channelOf, eventTypes, methodNames, progressFields } from '../shared/methods'
import type { AppEvent, BridgeApi } from '../shared/api'

// One frozen object of named methods, built from the method list: the page never sees
// ipcRenderer, a channel name or an IPC event object.
const api = Object.fromEntries(
  methodNames.map((method) => [method, (input: unknown) => ipcRenderer.invoke(channelOf(method), input)])
) as Record<string, unknown>

const isEvent = (payload: unknown): payload is AppEvent =>
  typeof payload === 'object' && payload !== null && (eventTypes as readonly unknown[]).includes((payload as { type?: unknown }).type)

api['onEvent'] = (listener: (event: AppEvent) => void) => {
  const handler = (_event: unknown, payload: unknown) => {
    // Only the event's kind (and a progress event's own fields, as strings) is passed on, never the IPC event object.
    if (!isEvent(payload)) return
    if (payload.type !== 'rotation.progress') return listener({ type: payload.type } as AppEvent)
    const fields = Object.fromEntries(
      progressFields.flatMap((f) => {
        const v = (payload as Record<string, unknown>)[f]
        return typeof v === 'string' ? [[f, v.slice(0, 500)]] : []
      })
    )
    listener({ ...fields, type: payload.type } as AppEvent)
  }
  ipcRenderer.on(EVENT_CHANNEL, handler)
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler)
  }
}

contextBridge.exposeInMainWorld('keywarden', Object.freeze(api as BridgeApi))
