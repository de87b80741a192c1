import type { KeyMeta, Provider } from '../../shared/schemas'
import type { ProviderKindInfo } from '../../shared/contract'
import { api } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'

export interface Command {
  id: string
  label: string
  group: string
  /** Extra words it is found by. */
  keywords?: string
  shortcut?: string[]
  disabled?: string
  run: () => void
}

/** Whether Add to… can work for this key's provider: it needs an MCP server URL. */
export function mcpUrlOf(provider: Provider | undefined, catalog: ProviderKindInfo[]): string | undefined {
  if (!provider) return undefined
  if (provider.kind === 'sandbox') return 'sandbox'
  return provider.mcpUrl ?? provider.custom?.mcpUrl ?? catalog.find((c) => c.kind === provider.kind)?.defaultMcpUrl
}

/** Copies a key through main (which clears the clipboard later) and says so in a toast. */
export async function copyKey(key: KeyMeta): Promise<void> {
  const { attempt, notify } = useApp.getState()
  const r = await attempt(() => api['keys.copy']({ keyId: key.id }), key.name)
  if (r) notify('success', `Copied "${key.name}" — the clipboard clears in ${r.clearAfterSeconds} s.`, { key: 'copied' })
}

/** Every action on one key, as the palette and the shortcuts offer them; unavailable ones say why. */
export function keyCommands(key: KeyMeta, mod: string): Command[] {
  const { providers, catalog } = useApp.getState()
  const ui = useUi.getState()
  const provider = providers.find((p) => p.id === key.providerId)
  const usable = key.inVault && key.status !== 'revoked'
  const q = `“${key.name}”`
  const group = key.name
  const openKey = () => {
    ui.setPage('keys')
    ui.select(key.id)
  }
  const commands: Command[] = [
    { id: `open:${key.id}`, label: `Open ${q}`, group, keywords: `${key.prefix} ${provider?.name ?? ''} go jump`, run: openKey },
    {
      id: `copy:${key.id}`,
      label: `Copy ${q}`,
      group,
      shortcut: [mod, 'C'],
      disabled: usable ? undefined : 'its value is not in this vault',
      run: () => void copyKey(key)
    },
    {
      id: `inject:${key.id}`,
      label: `Add ${q} to a client…`,
      group,
      keywords: 'mcp claude cursor vscode',
      disabled:
        !usable || key.status !== 'active'
          ? 'only active keys in this vault'
          : !mcpUrlOf(provider, catalog)
            ? 'its provider has no MCP server URL'
            : undefined,
      run: () => {
        openKey()
        ui.open({ kind: 'inject', keyId: key.id })
      }
    },
    {
      id: `rotate:${key.id}`,
      label: `Rotate ${q}`,
      group,
      disabled: usable ? undefined : 'its value is not in this vault',
      run: () => {
        openKey()
        ui.open({ kind: 'rotate', keyId: key.id })
      }
    },
    {
      id: `rename:${key.id}`,
      label: `Rename ${q}`,
      group,
      keywords: 'notes tags',
      run: () => {
        openKey()
        ui.open({ kind: 'rename', keyId: key.id })
      }
    },
    key.status !== 'revoked' && key.remoteId
      ? {
          id: `revoke:${key.id}`,
          label: `Revoke ${q}`,
          group,
          shortcut: ['Delete'],
          run: () => {
            openKey()
            ui.open({ kind: 'revoke', keyId: key.id })
          }
        }
      : {
          id: `forget:${key.id}`,
          label: `Remove ${q} from the vault`,
          group,
          shortcut: ['Delete'],
          run: () => {
            openKey()
            ui.open({ kind: 'forget', keyId: key.id })
          }
        }
  ]
  return commands
}
