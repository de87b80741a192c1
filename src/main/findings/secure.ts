import { closeSync, openSync, readSync } from 'node:fs'
import { KeywardenError } from '../../shared/errors'
import type { Finding } from '../../shared/findings'
import type { Placement } from '../../shared/schemas'
import { redactFile } from './redact'
import type { VaultIndex } from './vault-index'

/** One thing "secure it" does, in the order it does them. */
export type SecureStep =
  | { kind: 'import'; text: string }
  | { kind: 'move'; placement: Placement; text: string }
  | { kind: 'redact'; text: string }
  | { kind: 'rotate'; text: string }
  | { kind: 'blocked'; text: string }

/** The services Keywarden can import a key of (the provider catalog), by the shape's id. */
export type ImportableService = (finding: Finding) => boolean

/**
 * What securing one copy takes. A config entry: the key into the vault if it is not there, then
 * the entry moved to the client's keyless placement; history, transcripts and .env files: the value
 * masked in place (after the person confirms). Either way the key was exposed, so rotation is
 * offered while it still works.
 */
export function planSecure(
  finding: Finding,
  can: { importable: ImportableService; keylessPlacement: (client: string) => Placement | undefined }
): SecureStep[] {
  const steps: SecureStep[] = []
  const held = finding.key?.match === 'exact'
  const isConfig = finding.source === 'client-config' || finding.source === 'mcp-config'
  if (isConfig) {
    const client = finding.config?.client
    const placement = client ? can.keylessPlacement(client) : undefined
    if (!finding.config?.serverName || !client)
      return [{ kind: 'blocked', text: `Keywarden cannot tell which server in ${finding.file} holds this key; move it out by hand.` }]
    if (finding.config.field !== 'headers')
      return [
        {
          kind: 'blocked',
          text: `"${finding.config.serverName}" passes the key in its ${finding.config.field}; Keywarden can only take keys out of headers for now. Remove it by hand and rotate the key.`
        }
      ]
    if (!placement)
      return [{ kind: 'blocked', text: `${finding.config.label ?? client} has no keyless placement Keywarden can write yet.` }]
    if (!held) {
      if (!can.importable(finding))
        return [
          {
            kind: 'blocked',
            text: `Keywarden does not manage ${finding.service ?? 'this service'}'s keys, so it cannot keep this one in the keychain.`
          }
        ]
      steps.push({
        kind: 'import',
        text: `Import the ${finding.service} key (${finding.masked}) into the vault, after checking it with ${finding.service}.`
      })
    }
    steps.push({
      kind: 'move',
      placement,
      text: `Replace "${finding.config.serverName}" in ${finding.config.label ?? finding.file} with a ${placement} entry: nothing secret left in the file.`
    })
  } else {
    steps.push({
      kind: 'redact',
      text: `Mask the key in ${finding.file}, line ${finding.line} (${finding.masked} then stars; the line keeps its length). This cannot be undone.`
    })
  }
  if (finding.state === 'active' || finding.state === 'unknown')
    steps.push({ kind: 'rotate', text: 'The key was exposed: rotate it, so the copy stops working wherever else it went.' })
  return steps
}

export interface SecureDeps {
  index: VaultIndex
  importable: ImportableService
  keylessPlacement: (client: string) => Placement | undefined
  /** Imports a value found in a file (checked with its service); returns the new key's id. */
  importKey: (value: string, finding: Finding) => Promise<{ keyId: string }>
  /** Replaces the entry with the keyless placement (records the binding); returns the change id. */
  moveToKeyless: (input: { finding: Finding; keyId: string; placement: Placement; value: string }) => Promise<{ changeId: string }>
}

export interface SecureOutcome {
  findingId: string
  done: Array<SecureStep['kind']>
  changeId?: string
  keyId?: string
  /** Offered, not started: the person decides. */
  rotationOffered: boolean
}

/** Reads a found value back from its file, checking it is still the same key (by fingerprint). */
export function readFoundValue(finding: Finding, index: VaultIndex): string {
  const fd = openSync(finding.file, 'r')
  try {
    const buf = Buffer.alloc(finding.length)
    readSync(fd, buf, 0, finding.length, finding.offset)
    if (index.fingerprint(buf) !== finding.fingerprint)
      throw new KeywardenError('file-changed', `${finding.file} changed since the scan; scan again before securing it.`)
    return buf.toString('latin1')
  } finally {
    closeSync(fd)
  }
}

/**
 * Secures the copies given, one key at a time: config entries first (importing the key once),
 * then the files to redact, each rewritten once for all its copies. Redaction needs `confirm`.
 */
export async function secureFindings(
  findings: Finding[],
  deps: SecureDeps,
  options: { confirmRedaction: boolean }
): Promise<SecureOutcome[]> {
  const outcomes: SecureOutcome[] = []
  const importedByFingerprint = new Map<string, string>()
  const can = { importable: deps.importable, keylessPlacement: deps.keylessPlacement }
  const redactions = new Map<string, Finding[]>()
  // Every copy is checked before anything is done, so a refusal leaves everything as it was.
  const plans = findings.map((finding) => ({ finding, steps: planSecure(finding, can) }))
  for (const { steps } of plans) {
    const blocked = steps.find((s) => s.kind === 'blocked')
    if (blocked) throw new KeywardenError('unsupported', blocked.text)
    if (steps.some((s) => s.kind === 'redact') && !options.confirmRedaction)
      throw new KeywardenError(
        'invalid-input',
        'Redacting changes history and transcripts for good: confirm it first. Nothing was changed.'
      )
  }
  for (const { finding, steps } of plans) {
    const rotationOffered = steps.some((s) => s.kind === 'rotate')
    if (steps.some((s) => s.kind === 'redact')) {
      redactions.set(finding.file, [...(redactions.get(finding.file) ?? []), finding])
      outcomes.push({ findingId: finding.id, done: ['redact'], rotationOffered })
      continue
    }
    const value = readFoundValue(finding, deps.index)
    const done: SecureOutcome['done'] = []
    let keyId = finding.key?.match === 'exact' ? finding.key.id : importedByFingerprint.get(finding.fingerprint)
    if (!keyId) {
      keyId = (await deps.importKey(value, finding)).keyId
      importedByFingerprint.set(finding.fingerprint, keyId)
      done.push('import')
    }
    const move = steps.find((s): s is Extract<SecureStep, { kind: 'move' }> => s.kind === 'move')!
    const { changeId } = await deps.moveToKeyless({ finding, keyId, placement: move.placement, value })
    done.push('move')
    outcomes.push({ findingId: finding.id, done, changeId, keyId, rotationOffered })
  }
  for (const [file, inFile] of redactions) {
    await redactFile({ file, fingerprints: [...new Set(inFile.map((f) => f.fingerprint))] }, deps.index)
  }
  return outcomes
}
