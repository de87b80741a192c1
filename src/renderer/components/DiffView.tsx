/**
 * A masked change preview as lines: additions and removals marked, the patch's own header lines
 * (file names, "Index:", "\ No newline") left out since the dialog already names the file. The box
 * scrolls, so it takes focus: a keyboard can scroll it too.
 */
export function DiffView(props: { diff: string; label: string; testId?: string }) {
  const lines = props.diff.split('\n')
  const start = lines.findIndex((l) => l.startsWith('@@'))
  const body = (start < 0 ? lines : lines.slice(start)).filter((l) => !l.startsWith('\\') && l !== '')
  return (
    <pre className="diff" role="region" tabIndex={0} aria-label={props.label} data-testid={props.testId}>
      {body.map((line, i) => (
        <span key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  )
}
