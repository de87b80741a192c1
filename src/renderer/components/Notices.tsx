import { useApp } from '../stores/app-store'

/** Error and success banners; errors stay until dismissed, successes fade on their own. */
export function Notices() {
  const notices = useApp((s) => s.notices)
  const dismiss = useApp((s) => s.dismiss)
  const status = useApp((s) => s.status)
  return (
    <div className="notices" aria-live="polite">
      {status && !status.keychain.available && (
        <div className="banner error" role="alert">
          <strong>No keychain available.</strong> {status.keychain.message}
        </div>
      )}
      {status?.metadataError && (
        <div className="banner error" role="alert">
          {status.metadataError}
        </div>
      )}
      {status?.sandbox.error && (
        <div className="banner error" role="alert">
          {status.sandbox.error}
        </div>
      )}
      {notices.map((n) => (
        <div key={n.id} className={`banner ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button className="icon" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
