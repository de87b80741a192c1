import type { KeyMeta } from '../../shared/schemas'
import { api } from '../api'
import { useApp, whereBound } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { ConfirmDialog } from './Dialog'

/**
 * "Remove from vault". Clients that use the key would be left asking for a key that is gone, so
 * they are named here and their entries go with the key, in one step the toast can undo.
 */
export function RemoveKeyDialog(props: { keyMeta: KeyMeta; onClose: () => void }) {
  const k = props.keyMeta
  const provider = useApp((s) => s.providers.find((p) => p.id === k.providerId))
  const bindings = useApp((s) => s.bindings)
  const clients = useApp((s) => s.clients)
  const notify = useApp((s) => s.notify)
  const select = useUi((s) => s.select)
  const used = bindings.filter((b) => b.keyId === k.id)
  const entries = used.length === 1 ? 'its entry' : `its ${used.length} entries`
  return (
    <ConfirmDialog
      title={`Remove "${k.name}" from the vault?`}
      body={
        <>
          <p>The key stays as it is at {provider?.name}; Keywarden forgets it and deletes its value from your keychain.</p>
          {used.length > 0 && (
            <>
              <p>
                {used.length === 1 ? 'One client uses it' : `${used.length} clients use it`}. Without the key{' '}
                {used.length === 1 ? 'its entry' : 'their entries'} would ask for a key that is gone, so{' '}
                {used.length === 1 ? 'it is' : 'they are'} removed from {used.length === 1 ? 'its file' : 'their files'} too:
              </p>
              <ul aria-label="Clients that use this key">
                {used.map((b) => (
                  <li key={b.id}>
                    {whereBound(clients, b)}: <span className="mono">{b.serverName}</span>{' '}
                    <span className="muted mono break">{b.file}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      }
      confirm={used.length ? `Remove the key and ${entries}` : 'Remove'}
      danger
      onClose={props.onClose}
      onConfirm={async () => {
        const r = await api['keys.forget']({ keyId: k.id, removeEntries: used.length > 0 || undefined, bindingIds: used.map((b) => b.id) })
        select(undefined)
        notify('success', `Removed "${k.name}" from the vault${r.removed.length ? `, with ${entries} (${r.removed.join('; ')})` : ''}.`, {
          key: `removed-key:${k.id}`,
          action: {
            label: 'Undo',
            run: () =>
              void useApp.getState().attempt(async () => {
                await api['keys.undoForget']({ undoId: r.undoId })
                notify('success', `"${k.name}" is back in the vault${used.length ? `, with ${entries}` : ''}.`, {
                  key: `removed-key:${k.id}`
                })
              })
          }
        })
      }}
    />
  )
}
