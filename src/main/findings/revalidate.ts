import type { Finding, FindingState } from '../../shared/findings'
import { readFoundValue } from './secure'
import { rate } from './severity'
import type { VaultIndex } from './vault-index'

/**
 * Asks the service about copies whose state the vault does not know (keys it does not hold): the
 * value is read back from its file for the one request and dropped. A copy that cannot be checked
 * (no connected provider for its service, the file changed) stays "unknown".
 */
export async function revalidateFindings(
  findings: Finding[],
  deps: { index: VaultIndex; validate: (value: string, finding: Finding) => Promise<FindingState | undefined> }
): Promise<Finding[]> {
  const answers = new Map<string, FindingState | undefined>()
  const out: Finding[] = []
  for (const finding of findings) {
    if (finding.state !== 'unknown') {
      out.push(finding)
      continue
    }
    if (!answers.has(finding.fingerprint)) {
      let state: FindingState | undefined
      try {
        state = await deps.validate(readFoundValue(finding, deps.index), finding)
      } catch {
        state = undefined
      }
      answers.set(finding.fingerprint, state)
    }
    const state = answers.get(finding.fingerprint)
    if (!state || state === 'unknown') {
      out.push(finding)
      continue
    }
    const { severity, reasons } = rate({ state, source: finding.source, exposure: finding.exposure })
    out.push({ ...finding, state, severity, reasons: [...reasons, 'checked with the service just now'] })
  }
  return out
}
