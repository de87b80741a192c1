import type { ProviderKind } from '../../shared/schemas'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import { readEntries, type FoundEntry } from './document/entries'
import { kindOfPrefix } from '../../shared/provider-catalog'
import { bareKey } from './server-entry'
import { readConfig, type ConfigText } from './document/formats'
import { serversIn } from './plan'
import { maskFreeText } from './document/secret-masking'
import { claudeJsonPath, type ConfigLocation, type PathContext } from './paths'
import { configLocations, locationFor, vscodeProfiles } from './clients'

export interface Finding {
  location: ConfigLocation
  serverName: string
  url?: string
  placement: FoundEntry['placement']
  /** For inline values: what the vault can match against, never the value itself. */
  fingerprint?: string
  prefix?: string
  knownKind?: ProviderKind
  helperCommand?: string
}

export interface ScanResult {
  findings: Finding[]
  /** Files that exist but could not be read, with the reason. */
  problems: { file: string; message: string }[]
  /** Locations whose file exists (Claude Code local scopes: only those with servers). */
  present: ConfigLocation[]
}

/** Every location worth looking at: user files, Claude Code's known projects, VS Code profiles. */
export async function discoverLocations(ctx: PathContext, extraProjects: string[] = [], files = fileReader()): Promise<ConfigLocation[]> {
  const projects = new Set(extraProjects)
  try {
    const claude = (await files(claudeJsonPath(ctx), 'Claude Code')).value as { projects?: Record<string, unknown> }
    for (const p of Object.keys(claude.projects ?? {})) projects.add(p)
  } catch {
    // An unreadable ~/.claude.json shows up as a problem in the scan itself.
  }
  try {
    // Codex reads a project's .codex/config.toml only in the projects it trusts, listed in its own file.
    const codex = (await files(locationFor(ctx, 'codex', 'user')!.file, 'Codex')).value as { projects?: Record<string, unknown> }
    for (const p of Object.keys(codex.projects ?? {})) projects.add(p)
  } catch {
    // As above: the scan reports it.
  }
  return configLocations(ctx, [...projects], await vscodeProfiles(ctx))
}

/** Reads each file once, however many locations share it (every project lives in ~/.claude.json). */
export function fileReader() {
  const cache = new Map<string, Promise<ConfigText>>()
  return (file: string, label: string): Promise<ConfigText> => {
    let read = cache.get(file)
    if (!read) {
      read = readConfig(file, label)
      cache.set(file, read)
    }
    return read
  }
}

/** Reads every location and reports the MCP servers in them, with fingerprints of inline keys. */
export async function scanLocations(locations: ConfigLocation[], files = fileReader()): Promise<ScanResult> {
  const findings: Finding[] = []
  const problems: ScanResult['problems'] = []
  const present: ConfigLocation[] = []
  const read = await Promise.all(
    locations.map((l) =>
      files(l.file, l.label).then(
        (config) => ({ config }),
        (error: Error) => ({ error })
      )
    )
  )
  // Two clients reading one file (a project's .mcp.json) see the same entries: each is listed once,
  // under the first client, saying who else reads it — never counted twice.
  const firstReader = new Map<string, ConfigLocation>()
  const alsoReadBy = new Map<ConfigLocation, string[]>()
  for (const l of locations) {
    const id = `${l.file}\u0000${l.container.join('\u0000')}`
    const first = firstReader.get(id)
    if (!first) firstReader.set(id, l)
    else if (first.client !== l.client) alsoReadBy.set(first, [...(alsoReadBy.get(first) ?? []), l.label])
  }
  locations.forEach((location, i) => {
    const result = read[i]!
    const id = `${location.file}\u0000${location.container.join('\u0000')}`
    const shared = firstReader.get(id) !== location
    const readers = alsoReadBy.get(location)
    if (readers) location = { ...location, label: `${location.label}, also read by ${readers.join(', ')}` }
    let servers: Record<string, unknown>
    try {
      if ('error' in result) throw result.error
      if (result.config.text === null) return
      servers = serversIn(result.config.value, location)
    } catch (error) {
      if (!problems.some((p) => p.file === location.file)) problems.push({ file: location.file, message: (error as Error).message })
      return
    }
    const entries = readEntries(servers)
    // Claude Code lists every folder it was ever opened in: only those with servers are worth a card.
    if (location.scope === 'local' && entries.length === 0) return
    present.push(location)
    if (shared) return
    for (const entry of entries) {
      // Shown in the window: another tool's token in a URL or a command line is masked too.
      const base: Finding = {
        location,
        serverName: entry.name,
        url: entry.url === undefined ? undefined : maskFreeText(entry.url),
        placement: entry.placement,
        helperCommand: entry.helperCommand === undefined ? undefined : maskFreeText(entry.helperCommand)
      }
      const values = entry.placement === 'inline' ? entry.headerValues.map(bareKey).filter((v) => v.length >= 8) : []
      if (values.length === 0) findings.push(base)
      for (const value of values) {
        findings.push({
          ...base,
          fingerprint: fingerprint(value),
          prefix: maskSecret(value).slice(0, -1),
          knownKind: kindOfPrefix(value)
        })
      }
    }
  })
  return { findings, problems, present }
}
