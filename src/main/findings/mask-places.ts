import type { ScanResult } from '../../shared/findings'
import { maskSecret } from '../vault/fingerprint'
import { shapeOf } from './key-shapes'

// Runs of token characters long enough to be a key; shorter ones are names.
const TOKEN = /[A-Za-z0-9_-]{12,}/g

/**
 * A scan's answer with every key that sits in a place's own name masked: a key pasted as a folder
 * name, a server name or a JSON member name is as secret as one in a value. Only tokens that are a
 * key the vault holds or one of the known key formats are masked, so ordinary paths (dates, ids,
 * hashes in file names) stay readable. The unmasked result stays in the main process, where
 * securing a finding needs the real path.
 */
export function maskPlaces(result: ScanResult, isHeldKey: (token: string) => boolean): ScanResult {
  const mask = (text: string) => text.replace(TOKEN, (token) => (shapeOf(token) || isHeldKey(token) ? maskSecret(token) : token))
  const maybe = (text: string | undefined) => (text === undefined ? undefined : mask(text))
  return {
    ...result,
    skipped: result.skipped.map((s) => ({ ...s, file: mask(s.file) })),
    findings: result.findings.map((f) => ({
      ...f,
      file: mask(f.file),
      exposure: { ...f.exposure, repo: maybe(f.exposure.repo) },
      config: f.config && {
        ...f.config,
        label: maybe(f.config.label),
        projectPath: maybe(f.config.projectPath),
        serverName: maybe(f.config.serverName),
        path: f.config.path.map(mask)
      }
    }))
  }
}
