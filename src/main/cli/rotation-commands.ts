import type { Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import type { Rotation } from '../../shared/schemas'
import { resolveKey } from './keys-commands'
import { table, type CommandDeps } from './output'

const describe = (r: Rotation) => `${r.state}${r.error ? ` — ${r.error}` : ''}`

export function registerRotationCommands(program: Command, { context, output }: CommandDeps): void {
  program
    .command('rotate <key>')
    .description('Replace a key everywhere it is used: create, update tools, verify, revoke the old one')
    .option('--dry-run', 'show what would happen, change nothing')
    .option('--resume <rotation>', 'continue an interrupted rotation')
    .option('--rollback <rotation>', 'put tools back on the old key and revoke the new one')
    .action(async (ref: string, opts: { dryRun?: boolean; resume?: string; rollback?: string }) => {
      const ctx = await context()
      if (opts.resume || opts.rollback) {
        const id = (opts.resume ?? opts.rollback)!
        const r = opts.resume ? await ctx.rotation.resume(id) : await ctx.rotation.rollback(id)
        output.out(`Rotation ${r.id.slice(0, 8)}: ${describe(r)}`)
        if (r.error) throw new KeywardenError('conflict', 'The rotation did not finish.')
        return
      }
      const key = resolveKey(ctx.keys.list(), ref)
      const plan = ctx.rotation.plan(key.id)
      const bindings = ctx.bindings.list().filter((b) => b.keyId === key.id)
      output.out(`Rotate "${key.name}" (${key.prefix}…) — ${plan.mode === 'api' ? 'fully automatic' : 'the service dashboard is needed for create and revoke'}`)
      output.out(`  1. create "${plan.newName}" (value saved to the keychain first)`)
      output.out(`  2. update ${bindings.length} tool config${bindings.length === 1 ? '' : 's'}${bindings.map((b) => `\n       - ${b.client} ${b.scope}: ${b.serverName} (${b.placement})`).join('')}`)
      output.out('  3. verify the new key with the service and each MCP server')
      output.out('  4. revoke the old key')
      if (opts.dryRun) return output.out('Dry run: nothing changed.')
      if (plan.mode !== 'api') throw new KeywardenError('unsupported', 'This provider needs the person in its dashboard: rotate it from the Keywarden window.')
      const r = await ctx.rotation.start(key.id)
      output.out(`Rotation ${r.id.slice(0, 8)}: ${describe(r)}`)
      if (r.state !== 'done') throw new KeywardenError('conflict', `Not finished. Resume with: keywarden rotate ${key.id.slice(0, 8)} --resume ${r.id}`)
    })

  program
    .command('rotations')
    .description('Rotation history, unfinished ones first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = await context()
      const list = ctx.rotation.list()
      if (opts.json) return output.out(JSON.stringify(list, null, 2))
      const names = new Map(ctx.keys.list().map((k) => [k.id, k.name]))
      output.out(list.length ? table([['ROTATION', 'KEY', 'STARTED', 'STATE'], ...list.map((r) => [r.id.slice(0, 8), names.get(r.keyId) ?? r.keyId, r.startedAt, describe(r)])]) : 'No rotations yet.')
    })
}
