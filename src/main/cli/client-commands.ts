import type { Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import { quoted } from '../../shared/input-errors'
import type { Binding, ClientListing } from '../../shared/schemas'
import { keyNamed } from './keys-commands'
import { table, type CommandDeps } from './output'

export function registerClientCommands(program: Command, { api: open, output }: CommandDeps): void {
  program
    .command('clients')
    .description('The MCP clients Keywarden writes to, their scopes and ways of placing a key')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const clients = await (await open()).clients.list()
      if (opts.json) return output.out(JSON.stringify(clients, null, 2))
      output.out(
        table([
          ['CLIENT', 'NAME', 'INSTALLED', 'SCOPES', 'PLACEMENTS'],
          ...clients.map((c) => [
            c.client,
            c.label,
            c.installed ? 'yes' : 'no',
            c.scopes.map((s) => s.id).join(', '),
            c.placements.map((p) => p.id).join(', ')
          ])
        ])
      )
    })

  program
    .command('inject <key>')
    .description("Add a key's service as an MCP server to a client (see `keywarden clients`)")
    .requiredOption('--client <client>', 'the client, e.g. claude-code or cursor (`keywarden clients` lists them)')
    .option('--scope <scope>', 'where in the client: its first scope when not given (`keywarden clients` lists them)')
    .option('--project <path>', 'project folder (a full path), for project, local and workspace scopes')
    .option('--placement <placement>', "how the key is placed (helper, bridge, input, env, inline): the client's best when not given")
    .option('--name <server>', 'server name in the config')
    .option('-y, --yes', 'write without asking (the diff is still printed)')
    .action(
      async (ref: string, opts: { client: string; scope?: string; project?: string; placement?: string; name?: string; yes?: boolean }) => {
        const api = await open()
        const key = await keyNamed(api, ref)
        const scope = opts.scope ?? defaultScope(await api.clients.list(), opts.client)
        // Everything the person typed goes through the contract's schemas, as the window's input does.
        const input = {
          keyId: key.id,
          client: opts.client,
          scope,
          projectPath: opts.project,
          placement: opts.placement as never,
          serverName: opts.name
        }
        const name = await api.bindings.checkName(input)
        if (name.taken)
          throw new KeywardenError(
            'conflict',
            `The file already has a server named "${name.serverName}". Run again with --name ${name.suggested} (or another name).`
          )
        const preview = await api.bindings.preview(input)
        output.out(preview.diff)
        for (const note of preview.notes) output.out(`note: ${note}`)
        if (!opts.yes) throw new KeywardenError('invalid-input', 'Nothing written. Run again with --yes to apply this change.')
        const { binding, changeId } = await api.bindings.apply({ planId: preview.planId })
        output.out(`Added "${binding.serverName}" to ${preview.file} (${binding.placement}). Undo with: keywarden undo ${changeId}`)
      }
    )

  const bindings = program
    .command('bindings')
    .description('Where each managed key is used; `bindings remove <binding>` takes one out of its client')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const api = await open()
      const list = await api.bindings.list()
      if (opts.json) return output.out(JSON.stringify(list, null, 2))
      if (!list.length) return output.out('No bindings yet. Add a key to a client with `keywarden inject <key> --client claude-code`.')
      const keys = new Map((await api.keys.list()).map((k) => [k.id, k]))
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

  bindings
    .command('remove <binding>')
    .description(
      "Remove a binding's entry from its client's config file (the id or its first 8 characters, as `keywarden bindings` lists them)"
    )
    .option('-y, --yes', 'remove without asking')
    .action(async (ref: string, opts: { yes?: boolean }) => {
      const api = await open()
      const b = bindingNamed(await api.bindings.list(), ref)
      const where = `"${b.serverName}" from ${b.file} (${b.client}, ${b.scope})`
      if (!opts.yes) {
        // Said as it is: an entry already gone from its file is only forgotten, nothing is written.
        const gone = (await api.bindings.drift()).some((d) => d.bindingId === b.id && d.state === 'missing')
        throw new KeywardenError(
          'invalid-input',
          gone
            ? `"${b.serverName}" is already gone from ${b.file} (${b.client}, ${b.scope}): Keywarden only forgets it, writing nothing. Run again with --yes to forget it.`
            : `This removes ${where}. Run again with --yes to remove it.`
        )
      }
      const removed = await api.bindings.remove({ bindingId: b.id })
      output.out('changeId' in removed ? `Removed ${where}. Undo with: keywarden undo ${removed.changeId}` : removed.message)
    })

  program
    .command('undo [change]')
    .description('Undo a change to a config file (the latest one when no id is given); --list shows them')
    .option('--list', 'list recent changes')
    .action(async (changeId: string | undefined, opts: { list?: boolean }) => {
      const api = await open()
      const changes = await api.changes.list()
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
        throw new KeywardenError(
          'not-found',
          changeId
            ? `No change ${quoted(changeId)} in the undo history: a change goes once every key it held is revoked (as at the end of a rotation) and after 30 days. \`keywarden undo --list\` shows what is left; \`keywarden bindings remove <binding>\` takes a server out of its client.`
            : 'Nothing to undo.'
        )
      await api.changes.undo({ changeId: target.id })
      output.out(`Undone: ${target.summary}`)
    })
}

/** A binding by its id or the first 8+ characters of it, as `keywarden bindings` lists them. */
function bindingNamed(list: Binding[], ref: string): Binding {
  const matches = list.filter((b) => b.id === ref || (ref.length >= 8 && b.id.startsWith(ref)))
  if (matches.length === 1) return matches[0]!
  throw new KeywardenError(
    matches.length ? 'invalid-input' : 'not-found',
    matches.length
      ? `${quoted(ref)} matches ${matches.length} bindings; give more of the id.`
      : `No binding ${quoted(ref)}. Run \`keywarden bindings\` to see them (the first column is the id).`
  )
}

/** A client's first scope (user, global…), as its module lists them; an unknown client is left for the contract to refuse. */
function defaultScope(clients: ClientListing[], client: string): string {
  return clients.find((c) => c.client === client)?.scopes[0]?.id ?? 'user'
}
