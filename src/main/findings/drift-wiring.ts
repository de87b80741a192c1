import { KeywardenError } from '../../shared/errors'
import type { Binding } from '../../shared/schemas'
import type { ServerSpec } from '../mcp-config/document/entries'
import { bindingLocation, renderEntry } from '../mcp-config/clients'
import { planAdd, readContainer } from '../mcp-config/plan'
import type { DriftDeps } from './drift'

/** What the drift check needs from the running app: where to look, and the entry Keywarden would write. */
export interface DriftContext {
  home: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  /** The bindings service's own rendering of a binding's entry, so a repair writes what "Add to…" writes. */
  specFor(binding: Binding): Promise<ServerSpec>
}

/** The real files, clients and keychain behind the drift check and its repair. */
export function driftDeps(ctx: DriftContext): DriftDeps {
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === ctx.platform) ?? 'linux'
  const paths = { home: ctx.home, platform, env: ctx.env }
  const location = (b: Binding) => {
    // The file recorded with the binding, whatever this process's environment names now.
    const l = bindingLocation(paths, b)
    if (!l) throw new KeywardenError('not-found', `${b.client} has no "${b.scope}" scope any more.`)
    return l
  }
  return {
    location,
    readServers: async (l) => (await readContainer(l)).servers,
    render: renderEntry,
    planAdd,
    expected: (b) => ctx.specFor(b)
  }
}
