import type { AppStatus, ProviderKindInfo } from '../../shared/contract'
import type { Provider } from '../../shared/schemas'
import { api } from '../api'
import { useToasts } from './toast-store'
import { useUi } from './ui-store'

/** How a failed sync reads: out of reach, refused sign-in, rate limited, or otherwise. */
export function failureWords(code: string | undefined): string {
  if (code === 'unauthorized') return 'refused the saved sign-in'
  if (code === 'rate-limited') return 'is rate limiting requests (try again later)'
  if (code === 'provider-unreachable') return 'could not be reached'
  if (code === 'provider-bad-response') return 'sent an answer Keywarden could not read'
  return 'could not be synced'
}

/**
 * One toast per provider whose last sync failed, named after it and with the way to fix it; it
 * clears itself once a sync of that provider succeeds (or the provider is removed).
 */
export function syncToasts(providers: Provider[], catalog: ProviderKindInfo[]): void {
  const toasts = useToasts.getState()
  for (const key of toasts.toasts.map((t) => t.key).filter((k) => k.startsWith('sync:'))) {
    if (!providers.some((p) => `sync:${p.id}` === key && p.sync.error)) toasts.clear(key)
  }
  // A provider that syncs again forgets that its failure toast was dismissed: the next failure is new.
  for (const p of providers) if (!p.sync.error) toasts.clear(`sync:${p.id}`)
  for (const p of providers) {
    if (!p.sync.error) continue
    const dashboard = p.dashboardUrl ?? p.custom?.dashboardUrl ?? catalog.find((c) => c.kind === p.kind)?.dashboardUrl
    const action =
      p.sync.errorCode === 'unauthorized' && p.kind !== 'sandbox'
        ? { label: 'Sign in again', run: () => useUi.getState().editProvider(p.id) }
        : dashboard
          ? { label: 'Open provider', run: () => void api['app.openExternal']({ url: dashboard }).catch(() => undefined) }
          : { label: 'Open provider', run: () => useUi.getState().setPage('providers') }
    toasts.show({
      key: `sync:${p.id}`,
      kind: 'error',
      source: p.name,
      text: `${p.name} ${failureWords(p.sync.errorCode)}: ${p.sync.error} The saved list is shown.`,
      action
    })
  }
}

/** The app's own standing problems (no keychain, an unreadable vault, no sandbox), once each. */
export function statusToasts(status: AppStatus): void {
  const toasts = useToasts.getState()
  if (!status.keychain.available) {
    toasts.show({ key: 'keychain', kind: 'error', source: 'Keychain', text: `No keychain available. ${status.keychain.message ?? ''}` })
  } else toasts.clear('keychain')
  if (status.metadataError) toasts.show({ key: 'vault', kind: 'error', source: 'Vault', text: status.metadataError })
  if (status.sandbox.error) toasts.show({ key: 'sandbox', kind: 'error', source: 'Local sandbox', text: status.sandbox.error })
}
