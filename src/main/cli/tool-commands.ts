import type { Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import { clientIdSchema, placementSchema } from '../../shared/schemas'
import { describeClient } from '../mcp-config/clients'
import { resolveKey } from './keys-commands'
import { table, type CommandDeps } from './output'

export function registerToolCommands(program: Command, { context, output }: CommandDeps): void {
  program
    .command('inject <key>')
    .description("Add a key's service as an MCP server to an AI client (Claude Code, Cursor, VS Code, Codex…)")
    .requiredOption('--client <client>', clientIdSchema.options.join(', '))
    .option('--scope <scope>', 'user, local, project (Claude Code); global, project (Cursor); user, workspace, profile:<id> (VS Code)')
    .option('--project <path>', 'project folder (a full path), for project, local and workspace scopes')
    .option('--placement <placement>', `${placementSchema.options.join(', ')} (each client's best one by default)`)
    .option('--name <server>', 'server name in the config')
    .option('-y, --yes', 'write without asking (the diff is still printed)')
    .action(
      async (ref: string, opts: { client: string; scope?: string; project?: string; placement?: string; name?: string; yes?: boolean }) => {
        const ctx = await context()
        const client = clientIdSchema.safeParse(opts.client)
        if (!client.success)
          throw new KeywardenError('invalid-input', `Unknown client "${opts.client}"; use ${clientIdSchema.options.join(', ')}.`)
        const placement = opts.placement ? placementSchema.safeParse(opts.placement) : undefined
        if (placement && !placement.success)
          throw new KeywardenError('invalid-input', `Unknown placement "${opts.placement}"; use ${placementSchema.options.join(', ')}.`)
        const scope = opts.scope ?? describeClient(client.data).scopes[0]!.id
        const key = resolveKey(ctx.keys.list(), ref)
        const input = {
          keyId: key.id,
          client: client.data,
          scope,
          projectPath: opts.project,
          placement: placement?.data,
          serverName: opts.name
        }
        const name = await ctx.bindings.checkName(input)
        if (name.taken)
          throw new KeywardenError(
            'conflict',
            `The file already has a server named "${name.serverName}" that Keywarden did not add. Run again with --name ${name.suggested} (or another name).`
          )
        const preview = await ctx.bindings.preview(input)
        output.out(preview.diff)
        for (const note of preview.notes) output.out(`note: ${note}`)
        if (!opts.yes) throw new KeywardenError('invalid-input', 'Nothing written. Run again with --yes to apply this change.')
        const { binding, changeId } = await ctx.bindings.apply(preview.planId)
        output.out(`Added "${binding.serverName}" to ${preview.file} (${binding.placement}). Undo with: keywarden undo ${changeId}`)
      }
    )

  program
    .command('bindings')
    .description('Where each managed key is used')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = await context()
      const list = ctx.bindings.list()
      const keys = new Map(ctx.keys.list().map((k) => [k.id, k]))
      if (opts.json) return output.out(JSON.stringify(list, null, 2))
      if (!list.length) return output.out('No bindings yet. Add a key to a tool with `keywarden inject <key> --client claude-code`.')
      output.out(
        table([
          ['BINDING', 'KEY', 'CLIENT', 'SCOPE', 'SERVER', 'PLACEMENT', 'FILE'],
          ...list.map((b) => [
            b.id.slice(0, 8),
            keys.get(b.keyId)?.name ?? b.keyId,
            b.client,
            b.scope,
            b.serverName,
            b.placement === 'inline' ? 'inline (plaintext copy)' : b.placement,
            b.file
          ])
        ])
      )
    })

  program
    .command('undo [change]')
    .description('Undo a change to a config file (the latest one when no id is given); --list shows them')
    .option('--list', 'list recent changes')
    .action(async (changeId: string | undefined, opts: { list?: boolean }) => {
      const ctx = await context()
      const changes = await ctx.bindings.changes()
      if (opts.list) {
        return output.out(
          changes.length
            ? table([
                ['CHANGE', 'WHEN', 'WHAT', 'UNDONE'],
                ...changes.map((c) => [c.id.slice(0, 8), c.at, c.summary, c.undone ? 'yes' : ''])
              ])
            : 'No changes recorded.'
        )
      }
      const target = changeId
        ? changes.find((c) => c.id === changeId || (changeId.length >= 8 && c.id.startsWith(changeId)))
        : changes.find((c) => !c.undone)
      if (!target)
        throw new KeywardenError('not-found', changeId ? `No change ${changeId}; see \`keywarden undo --list\`.` : 'Nothing to undo.')
      await ctx.bindings.undo(target.id)
      output.out(`Undone: ${target.summary}`)
    })
}
