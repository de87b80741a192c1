/**
 * A masked diff as a person reads it: the patch's file headers dropped, added and removed lines
 * coloured. It scrolls, so it takes focus (and a name) for people who scroll with the keyboard.
 */
export function DiffView(props: { diff: string; label: string; testId?: string }) {
  const lines = props.diff.split('\n')
  // Everything before the first hunk is the patch's own bookkeeping (Index:, ====, ---/+++ names).
  const firstHunk = lines.findIndex((l) => l.startsWith('@@'))
  const shown = (firstHunk >= 0 ? lines.slice(firstHunk) : lines).filter((l) => !l.startsWith('\\ No newline'))
  return (
    <pre className="diff" role="region" tabIndex={0} aria-label={props.label} data-testid={props.testId}>
      {shown.map((line, i) => (
        <span key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  )
}
