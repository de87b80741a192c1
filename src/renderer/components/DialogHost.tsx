import { api } from '../api'
import { useApp } from '../stores/app-store'
import { useUi } from '../stores/ui-store'
import { CreateKeyDialog } from './CreateKeyDialog'
import { ConfirmDialog } from './Dialog'
import { ImportKeyDialog } from './ImportKeyDialog'
import { InjectDialog } from './InjectDialog'
import { RemoveKeyDialog } from './RemoveKeyDialog'
import { RenameDialog } from './RenameDialog'
import { RotateDueDialog } from './RotateDueDialog'
import { RotationWizard } from './RotationWizard'

/** The one place key dialogs open, whoever asks: a page, the palette or a shortcut. */
export function DialogHost() {
  const dialog = useUi((s) => s.dialog)
  const open = useUi((s) => s.open)
  const select = useUi((s) => s.select)
  const keys = useApp((s) => s.keys)
  const providers = useApp((s) => s.providers)
  const bindings = useApp((s) => s.bindings)
  const rotations = useApp((s) => s.rotations)
  const notify = useApp((s) => s.notify)
  const close = () => open(undefined)
  if (!dialog) return null
  if (dialog.kind === 'create' || dialog.kind === 'import' || dialog.kind === 'rotate-due') {
    if (dialog.kind === 'create') return <CreateKeyDialog onClose={close} onCreated={select} />
    if (dialog.kind === 'import') return <ImportKeyDialog onClose={close} onImported={select} />
    return <RotateDueDialog onClose={close} />
  }
  if (dialog.kind === 'rotation') {
    const r = rotations.find((x) => x.id === dialog.rotationId)
    return <RotationWizard rotationId={dialog.rotationId} keyMeta={keys.find((k) => k.id === r?.keyId)} onClose={close} />
  }
  if (!('keyId' in dialog)) return null
  const k = keys.find((x) => x.id === dialog.keyId)
  if (!k) return null
  if (dialog.kind === 'inject') return <InjectDialog keyMeta={k} onClose={close} />
  if (dialog.kind === 'rotate') return <RotationWizard keyMeta={k} onClose={close} />
  if (dialog.kind === 'rename') return <RenameDialog keyMeta={k} onClose={close} />
  const provider = providers.find((p) => p.id === k.providerId)
  const used = bindings.filter((b) => b.keyId === k.id)
  if (dialog.kind === 'revoke')
    return (
      <ConfirmDialog
        title={`Revoke "${k.name}"?`}
        body={
          <p>
            {provider?.name} will reject <span className="mono">{k.prefix}…</span> at once.{' '}
            {used.length > 0 &&
              `${used.length} client config${used.length === 1 ? '' : 's'} still use it — rotate instead to keep them working. `}
            This cannot be undone.
          </p>
        }
        confirm="Revoke key"
        danger
        onClose={close}
        onConfirm={async () => {
          const r = await api['keys.revoke']({ keyId: k.id })
          notify('success', `Revoked "${r.name}".`, { source: provider?.name })
        }}
      />
    )
  return <RemoveKeyDialog keyMeta={k} onClose={close} />
}
