import type { Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import { quoted } from '../../shared/input-errors'
import { keyNamed } from './keys-commands'
import { table, type CommandDeps } from './output'

const FINISHED = ['done', 'rolled-back']
const describe = (r: Rotation) => `${r.state}${r.error ? ` — ${r.error}` : ''}`

/** A rotation by its full id or any unique start of it (the list shows 8 characters). */
function resolveRotation(list: Rotation[], ref: string): Rotation {
  const matches = list.filter((r) => r.id === ref || r.id.startsWith(ref))
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0) throw new KeywardenError('not-found', `No rotation matches ${quoted(ref)}. List them with: keywarden rotations`)
  throw new KeywardenError('invalid-input', `${quoted(ref)} matches ${matches.length} rotations; give more of the id.`)
}

/** What the person must do next, and the command that continues; throws when not finished. */
function report(r: Rotation, out: (t: string) => void): void {
  out(`Rotation ${r.id.slice(0, 8)}: ${describe(r)}`)
  for (const e of r.bindings) if (e.message && e.status !== 'updated') out(`  - ${e.message}`)
  const id = r.id.slice(0, 8)
  if (r.state === 'done' || (r.state === 'rolled-back' && !r.error)) return
  if (r.state === 'rolled-back') throw new KeywardenError('conflict', 'Rolled back: your clients use the old key again.')
  if (r.state === 'awaiting-person') {
    const files = r.bindings.some((e) => e.status === 'needs-person' && !/re-enter the new key/.test(e.message ?? ''))
    throw new KeywardenError(
      'conflict',
      `Waiting for you before the old key is revoked (it still works). ${files ? `Fix the files above, then: keywarden rotate --resume ${id}. ` : ''}` +
        `Once you have re-entered the new key where asked (copy it from the key list in the Keywarden window), run: keywarden rotate --confirm ${id}`
    )
  }
  if (r.state === 'awaiting-new-key' || r.state === 'awaiting-revoke')
    throw new KeywardenError('conflict', 'This step is done in the service dashboard: continue in the Keywarden window.')
  throw new KeywardenError(
    'conflict',
    `Not finished. Resume with: keywarden rotate --resume ${id}  (or roll back: keywarden rotate --rollback ${id})`
  )
}

export function registerRotationCommands(program: Command, { api: open, output }: CommandDeps): void {
  program
    .command('rotate [key]')
    .description('Replace a key everywhere it is used: create, update every client, verify, revoke the old one')
    .option('--dry-run', 'show what would happen, change nothing')
    .option('--resume <rotation>', 'continue an interrupted rotation (id or its first characters)')
    .option('--rollback <rotation>', 'put clients back on the old key and revoke the new one')
    .option('--keep-new-key', 'with --rollback: keep the new key instead of revoking it')
    .option('--confirm <rotation>', 'you re-entered the new key where Keywarden could not (VS Code): finish the rotation')
    .action(
      async (
        ref: string | undefined,
        opts: { dryRun?: boolean; resume?: string; rollback?: string; keepNewKey?: boolean; confirm?: string }
      ) => {
        const api = await open()
        const given = opts.resume ?? opts.rollback ?? opts.confirm
        if (given) {
          const { id: rotationId } = resolveRotation(await api.rotations.list(), given)
          const r = opts.resume
            ? await api.rotations.resume({ rotationId })
            : opts.rollback
              ? await api.rotations.rollback({ rotationId, keepNewKey: opts.keepNewKey })
              : await api.rotations.confirmEntered({ rotationId })
          return report(r, output.out)
        }
        if (!ref)
          throw new KeywardenError('invalid-input', 'Name the key to rotate, or give --resume, --rollback or --confirm with a rotation id.')
        const key = await keyNamed(api, ref)
        const plan = await api.rotations.plan({ keyId: key.id })
        const bindings = (await api.bindings.list()).filter((b) => b.keyId === key.id)
        output.out(
          `Rotate "${key.name}" (${key.prefix}…) — ${plan.mode === 'api' ? 'fully automatic' : 'the service dashboard is needed for create and revoke'}`
        )
        output.out(`  1. create "${plan.newName}" (value saved to the keychain first)`)
        output.out(
          `  2. update ${bindings.length} client config${bindings.length === 1 ? '' : 's'}${bindings.map((b) => `\n       - ${b.client} ${b.scope}: ${b.serverName} (${b.placement})`).join('')}`
        )
        output.out('  3. verify the new key with the service and each MCP server')
        output.out('  4. revoke the old key')
        if (opts.dryRun) return output.out('Dry run: nothing changed.')
        if (plan.mode !== 'api')
          throw new KeywardenError('unsupported', 'This provider needs the person in its dashboard: rotate it from the Keywarden window.')
        report(await api.rotations.start({ keyId: key.id }), output.out)
      }
    )

  program
    .command('rotations')
    .description('Rotation history, unfinished ones first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const api = await open()
      const list = await api.rotations.list()
      if (opts.json) return output.out(JSON.stringify(list, null, 2))
      const names = new Map((await api.keys.list()).map((k) => [k.id, k.name]))
      const rows = list.map((r) => [
        r.id.slice(0, 8),
        names.get(r.keyId) ?? r.keyId,
        r.startedAt,
        FINISHED.includes(r.state) ? describe(r) : `${describe(r)} (unfinished)`
      ])
      output.out(list.length ? table([['ROTATION', 'KEY', 'STARTED', 'STATE'], ...rows]) : 'No rotations yet.')
    })
}
