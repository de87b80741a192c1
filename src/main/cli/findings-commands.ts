import type { Command } from 'commander'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import { quoted } from '../../shared/input-errors'
import { ACTIVITY_KINDS, activityKindSchema } from '../../shared/activity'
import { keyNamed } from './keys-commands'
import { table, type CommandDeps } from './output'

const shortPath = (file: string) => (file.startsWith(homedir()) ? `~${file.slice(homedir().length)}` : file)

/** `keywarden scan` and `keywarden activity`: the leak scan and the activity log from a terminal. */
export function registerFindingsCommands(program: Command, { api: open, output }: CommandDeps): void {
  program
    .command('scan [paths...]')
    .description(
      'Find keys in plain text: every MCP client config, shell history, AI transcripts, and .env/MCP files under the folders given'
    )
    .option('--json', 'print JSON')
    .option('--no-history', 'leave shell history out')
    .option('--no-transcripts', 'leave AI transcripts out')
    .action(async (paths: string[], opts: { json?: boolean; history: boolean; transcripts: boolean }) => {
      const api = await open()
      const result = await api.findings.scan({
        folders: paths.map((p) => resolve(p)),
        saveFolders: false,
        history: opts.history,
        transcripts: opts.transcripts
      })
      if (opts.json) return output.out(JSON.stringify(result, null, 2))
      const mb = (result.bytes / 1048576).toFixed(1)
      if (result.findings.length === 0) output.out(`No keys found in plain text (${result.files} files, ${mb} MB).`)
      else
        output.out(
          table([
            ['SEVERITY', 'KEY', 'SERVICE', 'STATE', 'WHERE'],
            ...result.findings.map((f) => [
              f.severity,
              f.key ? `${f.key.name} (${f.masked})` : f.masked,
              f.service ?? '-',
              f.state,
              `${shortPath(f.file)}:${f.line}${f.config?.serverName ? ` (${f.config.label ?? f.config.client}, "${f.config.serverName}")` : ''}`
            ])
          ])
        )
      for (const s of result.skipped) output.err(`skipped ${shortPath(s.file)}: ${s.reason}`)
      if (result.findings.length)
        output.out(
          `\n${result.findings.length} plain-text cop${result.findings.length === 1 ? 'y' : 'ies'} in ${result.files} files (${mb} MB). Secure them from Keywarden's Findings page.`
        )
    })

  program
    .command('activity')
    .description(
      'What used your keys: reads by the headers helper and the bridge, config writes and undos, rotation steps, reveals and copies'
    )
    .option('--json', 'print JSON')
    .option('--kind <kind>', `one of ${ACTIVITY_KINDS.join(', ')}`)
    .option('--key <key>', "a key's id or name")
    .option('--client <client>', 'an MCP client, e.g. claude-code')
    .option('--since <date>', 'ISO date or time, e.g. 2026-11-01')
    .option('--limit <n>', 'at most this many, newest first', '100')
    .action(async (opts: { json?: boolean; kind?: string; key?: string; client?: string; since?: string; limit: string }) => {
      const api = await open()
      const kind = opts.kind === undefined ? undefined : activityKindSchema.safeParse(opts.kind)
      if (kind && !kind.success)
        throw new KeywardenError('invalid-input', `Unknown kind ${quoted(opts.kind)}; use ${ACTIVITY_KINDS.join(', ')}.`)
      const since = opts.since === undefined ? undefined : new Date(opts.since)
      if (since && Number.isNaN(since.getTime()))
        throw new KeywardenError('invalid-input', `${quoted(opts.since)} is not a date; use e.g. 2026-11-01.`)
      const limit = Number(opts.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
        throw new KeywardenError('invalid-input', '--limit takes a whole number from 1 to 5000.')
      const keyId = opts.key ? (await keyNamed(api, opts.key)).id : undefined
      const { events, unreadable } = await api.activity.list({
        kind: kind?.data,
        keyId,
        client: opts.client,
        since: since?.toISOString(),
        limit
      })
      if (opts.json) return output.out(JSON.stringify(events, null, 2))
      if (!events.length) output.out('Nothing logged yet.')
      else
        output.out(
          table([
            ['TIME', 'KIND', 'KEY', 'CLIENT', 'SERVER', 'BY', 'DETAIL'],
            ...events.map((e) => [
              e.at.replace('T', ' ').slice(0, 19),
              e.kind,
              e.key?.name ?? e.key?.id.slice(0, 8) ?? '-',
              e.client ?? '-',
              e.server ?? '-',
              e.by,
              e.detail ?? (e.file ? shortPath(e.file) : '')
            ])
          ])
        )
      if (unreadable) output.err(`${unreadable} line${unreadable === 1 ? '' : 's'} of the log could not be read and were left out.`)
    })
}
