import { isDeepStrictEqual } from 'node:util'
import type { Binding, ClientId } from '../../shared/schemas'
import type { ServerSpec } from '../mcp-config/document/entries'
import type { ConfigLocation } from '../mcp-config/paths'
import type { Plan } from '../mcp-config/plan'

/** What became of a binding's entry since Keywarden wrote it. */
export interface DriftReport {
  bindingId: string
  keyId: string
  client: ClientId
  scope: string
  file: string
  serverName: string
  state: 'intact' | 'changed' | 'missing' | 'unreadable'
  /** Which fields differ (names only, never values), or why the file could not be read. */
  detail?: string
}

export interface DriftDeps {
  location: (binding: Binding) => ConfigLocation
  /** The servers object at a location, as the file holds it now (throws when it does not parse). */
  readServers: (location: ConfigLocation) => Promise<Record<string, unknown>>
  /** The server Keywarden writes for this binding now (helper command, the key for inline). */
  expected: (binding: Binding) => Promise<ServerSpec>
  render: (client: ClientId, spec: ServerSpec) => Record<string, unknown>
  /** Plans writing an entry at a location (mcp-config's planAdd with replaceExisting). */
  planAdd: (location: ConfigLocation, spec: ServerSpec, options: { replaceExisting: boolean }) => Promise<Plan>
}

/**
 * Checks every binding's entry against what Keywarden would write for it: clients rewrite their
 * files (Claude Code rewrites ~/.claude.json, VS Code migrates settings, Claude Desktop drops
 * entries it cannot run). Fields the client added are its own business; a field Keywarden wrote
 * that is gone or different is drift. Each file is read once.
 */
export async function checkDrift(bindings: Binding[], deps: DriftDeps): Promise<DriftReport[]> {
  const reads = new Map<string, Promise<Record<string, unknown>>>()
  const reports: DriftReport[] = []
  for (const b of bindings) {
    const base = { bindingId: b.id, keyId: b.keyId, client: b.client, scope: b.scope, file: b.file, serverName: b.serverName }
    let servers: Record<string, unknown>
    try {
      // A binding whose location cannot be worked out is reported, not allowed to stop the whole check.
      const location = deps.location(b)
      const key = `${location.file}\0${location.container.join('\0')}`
      let read = reads.get(key)
      if (!read) reads.set(key, (read = deps.readServers(location)))
      servers = await read
    } catch (error) {
      reports.push({ ...base, state: 'unreadable', detail: (error as Error).message })
      continue
    }
    const actual = servers[b.serverName]
    if (!actual || typeof actual !== 'object') {
      reports.push({ ...base, state: 'missing' })
      continue
    }
    let spec: ServerSpec
    try {
      spec = await deps.expected(b)
    } catch (error) {
      // What the entry should hold cannot be worked out (an inline key whose value left the keychain
      // when it was revoked): the entry is there, which is all that can be said of it.
      reports.push({ ...base, state: 'intact', detail: `present; not compared (${(error as Error).message})` })
      continue
    }
    const wanted = deps.render(b.client, spec)
    const differs = Object.keys(wanted).filter((field) => !isDeepStrictEqual((actual as Record<string, unknown>)[field], wanted[field]))
    reports.push(differs.length ? { ...base, state: 'changed', detail: `changed: ${differs.join(', ')}` } : { ...base, state: 'intact' })
  }
  return reports
}

/** The repair for a drifted binding: its entry written back, as a normal change with a masked diff to preview. */
export async function planRepair(binding: Binding, deps: DriftDeps): Promise<Plan> {
  return deps.planAdd(deps.location(binding), await deps.expected(binding), { replaceExisting: true })
}
