import type { FindingSource, FindingState, Severity } from '../../shared/findings'
import type { GitExposure } from './git-exposure'

const WHERE: Record<FindingSource, string> = {
  'client-config': 'in an MCP client config, in plain text',
  'mcp-config': 'in an MCP config, in plain text',
  'env-file': 'in a .env file, in plain text',
  'shell-history': 'in shell history',
  transcript: 'in an AI transcript',
  file: 'in a file, in plain text'
}

/**
 * How bad a copy is. What decides: whether the key still works (a revoked key is information), and
 * how far the file travels — committed to git is worst, a file git would take along next is as bad,
 * a config a client reads is next, history and transcripts after.
 */
export function rate(input: { state: FindingState; source: FindingSource; exposure: GitExposure }): {
  severity: Severity
  reasons: string[]
} {
  const { state, source, exposure } = input
  const reasons = [WHERE[source]]
  const travels = exposure.repo !== undefined && (exposure.tracked === true || exposure.ignored === false)
  if (exposure.repo) {
    if (exposure.tracked) reasons.push(`committed to the git repository at ${exposure.repo}`)
    else if (exposure.ignored === false) reasons.push(`not ignored by git in ${exposure.repo}: the next commit can take it along`)
    else if (exposure.ignored) reasons.push(`in the git work tree at ${exposure.repo}, ignored`)
    else reasons.push(`in the git work tree at ${exposure.repo} (git could not say whether it is tracked)`)
  }
  if (state === 'revoked' || state === 'expired') {
    reasons.push(`the key is ${state} at the service`)
    return { severity: travels ? 'low' : 'info', reasons }
  }
  if (state === 'inactive') {
    reasons.push('the key is deactivated at the service, and can be turned back on')
    return { severity: travels ? 'medium' : 'low', reasons }
  }
  reasons.push(state === 'active' ? 'the key is active at the service' : 'whether the key still works is unknown: check it')
  if (exposure.tracked) return { severity: 'critical', reasons }
  const projectFile = source === 'env-file' || source === 'mcp-config' || source === 'client-config' || source === 'file'
  if (travels && projectFile) return { severity: 'critical', reasons }
  if (projectFile || travels) return { severity: 'high', reasons }
  return { severity: 'medium', reasons }
}
