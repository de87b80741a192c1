import { randomUUID } from 'node:crypto'
import { KeywardenError } from '../../shared/errors'
import type { Binding, ClientId, KeyMeta } from '../../shared/schemas'
import { entryUrl, keyFromHeader, readEntries } from '../mcp-config/document/entries'
import { readContainer } from '../mcp-config/plan'
import { sameProject, type ConfigLocation, type PathContext } from '../mcp-config/paths'
import { listClients } from '../mcp-config/clients'
import { discoverLocations, fileReader, scanLocations } from '../mcp-config/scan'
import type { MetadataStore } from '../vault/metadata-store'

/**
 * Finding keys that are already in client configs: managed keys pasted by hand (matched by
 * fingerprint, adopted as bindings) and keys the vault does not hold (imported from the file).
 */
export function createBindingDiscovery(deps: {
  store: MetadataStore
  paths: PathContext
  location: (client: ClientId, scope: string, projectPath?: string) => ConfigLocation
  keyOf: (keyId: string) => KeyMeta
  now: () => Date
  emit?: (event: { type: 'bindings.changed' }) => void
}) {
  const { location, keyOf, now } = deps

  /** Every MCP server in every known client file, with the managed key each one uses. */
  async function scan(extraProjects: string[] = []) {
    const projects = [...new Set([...extraProjects, ...deps.store.read().bindings.flatMap((b) => (b.projectPath ? [b.projectPath] : []))])]
    // One read and parse per file for the whole scan: every project lives in ~/.claude.json.
    const files = fileReader()
    const result = await scanLocations(await discoverLocations(deps.paths, projects, files), files)
    const keysByFp = new Map(
      deps.store
        .read()
        .keys.filter((k) => k.fingerprint)
        .map((k) => [k.fingerprint!, k])
    )
    const bindings = deps.store.read().bindings
    return {
      problems: result.problems,
      present: result.present.map((l) => ({ client: l.client, scope: l.scope, label: l.label, file: l.file, projectPath: l.projectPath })),
      servers: result.findings.map((f) => {
        const binding = bindings.find(
          (b) =>
            b.file === f.location.file &&
            b.serverName === f.serverName &&
            b.scope === f.location.scope &&
            b.client === f.location.client &&
            sameProject(b.projectPath, f.location.projectPath, deps.paths.platform)
        )
        const matched = f.fingerprint ? keysByFp.get(f.fingerprint) : undefined
        return {
          client: f.location.client,
          scope: f.location.scope,
          label: f.location.label,
          file: f.location.file,
          projectPath: f.location.projectPath,
          serverName: f.serverName,
          url: f.url,
          placement: f.placement,
          prefix: f.prefix,
          knownKind: f.knownKind,
          bindingId: binding?.id,
          keyId: binding?.keyId ?? matched?.id,
          /** A managed key pasted by hand: can be adopted as a binding. */
          adoptable: Boolean(matched && !binding),
          /** A key with a known prefix that the vault does not hold. */
          unmanaged: Boolean(f.knownKind && !matched),
          plaintext: f.placement === 'inline'
        }
      })
    }
  }

  /** Records a hand-pasted entry holding a managed key as a binding, so rotation updates it. */
  async function adopt(input: {
    client: ClientId
    scope: string
    projectPath?: string
    serverName: string
    keyId: string
  }): Promise<Binding> {
    const loc = location(input.client, input.scope, input.projectPath)
    const { servers } = await readContainer(loc)
    const entry = servers[input.serverName] as { url?: string } | undefined
    if (!entry) throw new KeywardenError('not-found', `${loc.label} has no server named "${input.serverName}".`)
    const binding: Binding = {
      id: randomUUID(),
      keyId: keyOf(input.keyId).id,
      client: input.client,
      scope: input.scope,
      file: loc.file,
      projectPath: input.projectPath,
      serverName: input.serverName,
      url: entryUrl(entry) ?? 'http://invalid.local/',
      placement: 'inline',
      createdAt: now().toISOString()
    }
    await deps.store.update((d) => {
      d.bindings.push(binding)
    })
    deps.emit?.({ type: 'bindings.changed' })
    return binding
  }

  /**
   * Imports a key found in a client config that the vault does not hold: the value is read from
   * the file here in main (never sent to the window), checked and stored like a pasted key, and
   * the entry becomes a binding so rotation updates it.
   */
  async function importFound(
    input: { client: ClientId; scope: string; projectPath?: string; serverName: string; name: string },
    importer: (value: string, name: string) => Promise<KeyMeta>
  ): Promise<Binding> {
    const loc = location(input.client, input.scope, input.projectPath)
    const { servers } = await readContainer(loc)
    const entry = servers[input.serverName]
    const value = readEntries({ [input.serverName]: entry })[0]
      ?.headerValues.map(keyFromHeader)
      .find((v) => v.length >= 8)
    if (!value) throw new KeywardenError('not-found', `${loc.label}: "${input.serverName}" holds no key to import.`)
    const key = await importer(value, input.name)
    return adopt({ client: input.client, scope: input.scope, projectPath: input.projectPath, serverName: input.serverName, keyId: key.id })
  }

  return { scan, adopt, importFound, clients: () => listClients(deps.paths) }
}
