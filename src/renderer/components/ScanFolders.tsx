import { useState } from 'react'

/**
 * The folders the leak scan reads besides every client config, history and transcripts. A folder is
 * added only once a scan with it worked; otherwise what went wrong is said under the field and the
 * typed path stays there to fix.
 */
export function ScanFolders(props: {
  folders: string[]
  busy: boolean
  /** Scans with the folder added; answers what went wrong, if anything. */
  add(folder: string): Promise<string | undefined>
  remove(folder: string): void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const submit = async () => {
    const folder = text.trim()
    if (!folder) return
    const failure = await props.add(folder)
    setError(failure)
    if (!failure) setText('')
  }
  return (
    <form
      className="toolbar scan-folders"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="field-stack">
        <input
          aria-label="Folder to scan"
          placeholder="/home/you/src/project"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'scan-folder-error' : undefined}
          onChange={(e) => {
            setText(e.target.value)
            setError(undefined)
          }}
        />
        {error && (
          <span className="field-error" role="alert" id="scan-folder-error">
            {error}
          </span>
        )}
      </div>
      <button type="submit" disabled={props.busy}>
        Add folder
      </button>
      {props.folders.map((f) => (
        <span key={f} className="tag">
          <span className="mono small">{f}</span>{' '}
          <button type="button" aria-label={`Stop scanning ${f}`} onClick={() => props.remove(f)}>
            ×
          </button>
        </span>
      ))}
    </form>
  )
}
