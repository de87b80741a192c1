import { useEffect, useState } from 'react'
import { api, messageOf } from '../api'
import { useUi } from '../stores/ui-store'
import { Dialog } from '../components/Dialog'
import { DriftPanel } from '../components/DriftPanel'
import { ScanFolders } from '../components/ScanFolders'
import { useApp } from '../stores/app-store'
import { useToasts } from '../stores/toast-store'
import { describeFailure } from '../words'

type Scan = Awaited<ReturnType<(typeof api)['findings.scan']>>
type Finding = Scan['findings'][number]
type Progress = Awaited<ReturnType<(typeof api)['findings.progress']>>

const SOURCE: Record<Finding['source'], string> = {
  'client-config': 'MCP client config',
  'mcp-config': 'MCP config',
  'env-file': '.env file',
  'shell-history': 'shell history',
  transcript: 'AI transcript',
  file: 'file'
}
const SCAN_FAILED = 'findings-scan'
const isRedaction = (f: Finding) => f.source !== 'client-config' && f.source !== 'mcp-config'
/** Severity in the badge colours the window already has: red, amber, grey. */
const TONE: Record<Finding['severity'], string> = {
  critical: 'revoked',
  high: 'revoked',
  medium: 'expired',
  low: 'inactive',
  info: 'inactive'
}

/** The last scan the palette asked for that a Findings page ran (the page may mount after the request). */
let handledScan = 0

/** Every plain-text copy of a key, grouped by key, worst first; secure one copy or all of a key's. */
export function FindingsPage() {
  const { attempt, notify } = useApp()
  const [scan, setScan] = useState<Scan>()
  const [progress, setProgress] = useState<Progress>()
  const [folders, setFolders] = useState<string[]>([])
  const [confirm, setConfirm] = useState<Finding[]>()
  const [busy, setBusy] = useState(false)
  const [undoable, setUndoable] = useState<string[]>([])

  useEffect(() => {
    void attempt(() => api['findings.folders']({})).then((f) => f && setFolders(f))
  }, [attempt])
  // A scan asked for from the palette: with the remembered folders, as the Scan button would.
  const scanRequest = useUi((s) => s.scanRequest)
  useEffect(() => {
    if (scanRequest === handledScan) return
    handledScan = scanRequest
    void api['findings.folders']({})
      .then(runScan, () => runScan())
      .then((failure) => failure && notify('error', failure, { key: SCAN_FAILED, source: 'Findings' }))
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new request scans
  }, [scanRequest])

  /** Scans with these folders; a failure is answered (for the folder field) rather than shown. */
  async function runScan(nextFolders = folders): Promise<string | undefined> {
    setBusy(true)
    const timer = setInterval(() => void api['findings.progress']({}).then(setProgress, () => undefined), 250)
    try {
      const result = await api['findings.scan']({ folders: nextFolders })
      setScan(result)
      setFolders(result.folders)
      useToasts.getState().clear(SCAN_FAILED)
      return undefined
    } catch (error) {
      return describeFailure(messageOf(error)).message
    } finally {
      clearInterval(timer)
      setProgress(undefined)
      setBusy(false)
    }
  }

  /** A scan the person asked for: its failure is a toast that goes once a scan works again. */
  async function scanNow() {
    const failure = await runScan()
    if (failure) notify('error', failure, { key: SCAN_FAILED, source: 'Findings' })
  }

  async function secure(findings: Finding[], confirmRedaction: boolean) {
    if (!confirmRedaction && findings.some(isRedaction)) return setConfirm(findings)
    setConfirm(undefined)
    const outcomes = await attempt(() => api['findings.secure']({ findingIds: findings.map((f) => f.id), confirmRedaction }))
    if (!outcomes) return
    const moved = outcomes.filter((o) => o.changeId)
    notify(
      'success',
      `Secured ${outcomes.length} cop${outcomes.length === 1 ? 'y' : 'ies'}.${moved.length ? ' Entries moved to a keyless placement can be undone below.' : ''}`
    )
    if (outcomes.some((o) => o.rotationOffered))
      notify('info', 'The key was exposed: rotate it (Keys → Rotate) so the copies stop working.')
    setUndoable((u) => [...u, ...moved.map((o) => o.changeId!)])
    await scanNow()
  }

  async function check(copies: Finding[]) {
    const checked = await attempt(() => api['findings.revalidate']({ findingIds: copies.map((f) => f.id) }))
    if (checked && scan) setScan({ ...scan, findings: scan.findings.map((f) => checked.find((c) => c.id === f.id) ?? f) })
  }

  const groups = new Map<string, Finding[]>()
  for (const f of scan?.findings ?? []) groups.set(f.fingerprint, [...(groups.get(f.fingerprint) ?? []), f])
  return (
    <section className="page" aria-labelledby="findings-title">
      <header className="page-head">
        <h1 id="findings-title">Findings</h1>
        <div className="actions">
          <button className="primary" onClick={() => void scanNow()} disabled={busy} aria-busy={busy}>
            {busy ? 'Scanning…' : scan ? 'Scan again' : 'Scan'}
          </button>
        </div>
      </header>
      <p className="muted small">
        Every MCP client config, your shell history and AI transcripts, and the .env and MCP files under the folders below. Keywarden only
        reads; nothing changes until you secure a copy.
      </p>
      <ScanFolders
        folders={folders}
        busy={busy}
        add={(folder) => (folders.includes(folder) ? Promise.resolve(undefined) : runScan([...folders, folder]))}
        remove={(folder) => setFolders(folders.filter((f) => f !== folder))}
      />
      {progress?.running && (
        <p role="status" className="small">
          {progress.filesDone} of {progress.filesTotal} files, {(progress.bytesDone / 1048576).toFixed(0)} of{' '}
          {(progress.bytesTotal / 1048576).toFixed(0)} MB
        </p>
      )}
      <DriftPanel scanned={scan} />
      {undoable.map((id) => (
        <div key={id} className="banner info" role="status">
          <span>An entry was moved to a keyless placement.</span>
          <button
            onClick={() =>
              void attempt(() => api['findings.undo']({ changeId: id })).then((r) => r && setUndoable((u) => u.filter((x) => x !== id)))
            }
          >
            Undo
          </button>
        </div>
      ))}
      {scan && groups.size === 0 && (
        <div className="empty">
          <p>
            No keys found in plain text ({scan.files} files, {(scan.bytes / 1048576).toFixed(1)} MB).
          </p>
        </div>
      )}
      <ul className="findings" aria-label="Keys found in plain text">
        {[...groups.values()].map((copies) => {
          const first = copies[0]!
          return (
            <li key={first.fingerprint} className="card">
              <div className="card-head">
                <strong>{first.key ? first.key.name : (first.service ?? 'Unknown key')}</strong>
                <span className="mono">{first.masked}</span>
                <span className={`badge ${first.state === 'active' ? 'active' : first.state === 'unknown' ? 'expired' : 'inactive'}`}>
                  {first.state}
                </span>
                <span className="muted small">
                  {copies.length} cop{copies.length === 1 ? 'y' : 'ies'}
                </span>
                <div className="actions">
                  {first.state === 'unknown' && <button onClick={() => void check(copies)}>Check with the service</button>}
                  <button onClick={() => void secure(copies, false)}>Secure all</button>
                </div>
              </div>
              <table className="servers">
                <tbody>
                  {copies.map((f) => (
                    <tr key={f.id}>
                      <td>
                        <span className={`badge ${TONE[f.severity]}`}>{f.severity}</span>
                      </td>
                      <td>{SOURCE[f.source]}</td>
                      <td className="mono small break" title={f.reasons.join('; ')}>
                        {f.file}:{f.line}
                        {f.config?.serverName && ` — ${f.config.label ?? f.config.client} "${f.config.serverName}" (${f.config.field})`}
                      </td>
                      <td className="actions-cell">
                        <button onClick={() => void secure([f], false)}>{isRedaction(f) ? 'Redact' : 'Secure'}</button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          )
        })}
      </ul>
      {scan && scan.skipped.length > 0 && (
        <details>
          <summary className="small">{scan.skipped.length} files left out</summary>
          <ul className="small mono">
            {scan.skipped.map((s) => (
              <li key={s.file}>
                {s.file}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {confirm && (
        <Dialog title="Redact for good?" onClose={() => setConfirm(undefined)}>
          <div className="dialog-body">
            <p>
              Keywarden will mask {confirm.filter(isRedaction).length} cop{confirm.filter(isRedaction).length === 1 ? 'y' : 'ies'} in place
              (the first characters stay, the rest become *), in:
            </p>
            <ul className="mono small">
              {[...new Set(confirm.filter(isRedaction).map((f) => f.file))].map((file) => (
                <li key={file}>{file}</li>
              ))}
            </ul>
            <p>This cannot be undone, and no copy of the old lines is kept.</p>
          </div>
          <div className="dialog-foot">
            <button onClick={() => setConfirm(undefined)}>Cancel</button>
            <button className="primary" data-autofocus onClick={() => void secure(confirm, true)}>
              Redact
            </button>
          </div>
        </Dialog>
      )}
    </section>
  )
}
