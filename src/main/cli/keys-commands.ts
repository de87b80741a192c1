import type { Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import { quoted } from '../../shared/input-errors'
import type { Binding, KeyMeta } from '../../shared/schemas'
import { stillUsedAdvice } from '../vault/removal-words'
import type { AppClient } from '../ipc/client'
import { keysTable, table, type CommandDeps } from './output'

/** Finds a key by id, id prefix (8+ characters as listed) or exact name (the live key, when a retired one shares it). */
export function resolveKey(keys: KeyMeta[], ref: string): KeyMeta {
  const found = keys.filter((k) => k.id === ref || (ref.length >= 8 && k.id.startsWith(ref)) || k.name === ref)
  // A rotated key keeps its name on the retired one: by name, the key in the vault is meant.
  const live = found.filter((k) => k.inVault && k.status !== 'revoked')
  const matches = found.length > 1 && live.length === 1 && found.every((k) => k === live[0] || k.name === ref) ? live : found
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0)
    throw new KeywardenError('not-found', `No key matches ${quoted(ref)}. Run \`keywarden keys list\` to see ids and names.`)
  throw new KeywardenError('invalid-input', `${quoted(ref)} matches ${matches.length} keys; use the id from \`keywarden keys list\`.`)
}

/** What to run instead of the window's advice for a key that clients still use. */
function stillUsedCommands(key: KeyMeta, using: Binding[]): string {
  const each = using.map((b) => `\`keywarden bindings remove ${b.id.slice(0, 8)} --yes\` (${b.serverName})`)
  return `To remove ${using.length === 1 ? 'that entry' : 'those entries'} with the key, run \`keywarden keys remove ${key.id.slice(0, 8)} --remove-entries --yes\`; or take ${using.length === 1 ? 'it' : 'each'} out of its client first: ${each.join(', ')}.`
}

/** The key a command names, looked up through the same API the window uses. */
export async function keyNamed(api: AppClient, ref: string): Promise<KeyMeta> {
  return resolveKey(await api.keys.list(), ref)
}

export function registerKeyCommands(program: Command, { api: open, output }: CommandDeps): void {
  const keys = program.command('keys').description('List, create, deactivate, revoke and remove keys')

  keys
    .command('list')
    .description('List the keys in the vault (reads nothing from the keychain)')
    .option('--json', 'print JSON')
    .option('--provider <id>', 'only this provider')
    .action(async (opts: { json?: boolean; provider?: string }) => {
      const api = await open()
      const list = (await api.keys.list()).filter((k) => !opts.provider || k.providerId === opts.provider)
      output.out(
        opts.json
          ? JSON.stringify(list, null, 2)
          : list.length
            ? keysTable(list, await api.providers.list())
            : 'No keys yet. Create one with `keywarden keys create --name <name>`.'
      )
    })

  keys
    .command('sync')
    .description("Refresh the list from each provider's key API")
    .option('--provider <id>', 'only this provider')
    .action(async (opts: { provider?: string }) => {
      const api = await open()
      const result = await namingProvider(api, opts.provider, () => api.keys.sync({ providerId: opts.provider }))
      output.out(
        table([['PROVIDER', 'RESULT'], ...result.providers.map((p) => [p.providerId, p.ok ? `${p.keyCount} keys` : `failed: ${p.error}`])])
      )
      for (const note of result.providers.flatMap((p) => p.notes ?? [])) output.out(`note: ${note}`)
      if (result.providers.some((p) => !p.ok)) throw new KeywardenError('provider-unreachable', 'Some providers could not be synced.')
    })

  keys
    .command('create')
    .description('Create a key; its value goes to the keychain (printed only with --print-value)')
    .requiredOption('--name <name>', 'a name that says where the key is used')
    .option('--provider <id>', 'provider id', 'sandbox')
    .option('--expires <date>', 'expiry date (ISO 8601)')
    .option('--json', 'print JSON')
    .option('--print-value', "print the new key's value too (read back from the keychain, recorded as a reveal)")
    .action(async (opts: { name: string; provider: string; expires?: string; json?: boolean; printValue?: boolean }) => {
      // The command line takes any date JavaScript reads; the contract gets it as the window sends it.
      const expiresAt = opts.expires ? new Date(opts.expires) : undefined
      if (expiresAt && Number.isNaN(expiresAt.getTime()))
        throw new KeywardenError('invalid-input', `${quoted(opts.expires)} is not a date; use e.g. 2027-01-31.`)
      // The contract refuses it too; here it is said in the option's own words.
      if (expiresAt && expiresAt.getTime() <= Date.now())
        throw new KeywardenError('invalid-input', `--expires ${quoted(opts.expires)} has passed: choose an expiry date in the future.`)
      const api = await open()
      const { key } = await namingProvider(api, opts.provider, () =>
        api.keys.create({ providerId: opts.provider, name: opts.name, expiresAt: expiresAt?.toISOString() })
      )
      // The value is printed only when asked for, read back as a reveal: a terminal's scrollback is a copy.
      const secret = opts.printValue ? (await api.keys.reveal({ keyId: key.id })).secret : undefined
      if (opts.json) output.out(JSON.stringify(secret === undefined ? { key } : { key, secret }, null, 2))
      else
        output.out(
          `Created "${key.name}" (${key.id.slice(0, 8)}). Saved in your keychain.` +
            (secret === undefined
              ? ` Its value is not printed (add --print-value when creating a key to see it): hand it to a program with \`keywarden run --env NAME=${key.id.slice(0, 8)} -- <command>\`, or copy or reveal it in the app.`
              : `\n${secret}`)
        )
    })

  const act = (name: string, description: string, run: (api: AppClient, key: KeyMeta) => Promise<string>) =>
    keys
      .command(`${name} <key>`)
      .description(description)
      .action(async (ref: string) => {
        const api = await open()
        output.out(await run(api, await keyNamed(api, ref)))
      })

  act(
    'deactivate',
    'Turn a key off without deleting it',
    async (api, k) => `"${(await api.keys.setActive({ keyId: k.id, active: false })).name}" is now inactive.`
  )
  act(
    'activate',
    'Turn a deactivated key back on',
    async (api, k) => `"${(await api.keys.setActive({ keyId: k.id, active: true })).name}" is active again.`
  )
  act('validate', 'Ask the service whether the key works', async (api, k) => {
    const result = await api.keys.validate({ keyId: k.id })
    if (!result.valid) throw new KeywardenError('provider-rejected', result.message)
    return result.message
  })

  keys
    .command('revoke <key>')
    .description('Revoke a key at its service (cannot be undone)')
    .option('-y, --yes', 'do not ask; required when not run in a terminal')
    .action(async (ref: string, opts: { yes?: boolean }) => {
      const api = await open()
      const key = await keyNamed(api, ref)
      if (!opts.yes) {
        throw new KeywardenError('invalid-input', `Revoking "${key.name}" cannot be undone; run again with --yes to confirm.`)
      }
      await api.keys.revoke({ keyId: key.id })
      output.out(`Revoked "${key.name}". Clients still using it will stop working.`)
    })

  keys
    .command('remove <key>')
    .alias('forget')
    .description('Remove a key from this vault and its value from your keychain (the key stays at its service)')
    .option('--remove-entries', 'also remove the entries of the clients that use the key')
    .option('-y, --yes', 'do not ask; required when not run in a terminal')
    .action(async (ref: string, opts: { removeEntries?: boolean; yes?: boolean }) => {
      const api = await open()
      const key = await keyNamed(api, ref)
      if (!opts.yes)
        throw new KeywardenError(
          'invalid-input',
          `Removing "${key.name}" deletes its value from your keychain (the key still works at its service); run again with --yes to confirm.`
        )
      const using = opts.removeEntries ? [] : (await api.bindings.list()).filter((b) => b.keyId === key.id)
      const result = await api.keys.forget({ keyId: key.id, removeEntries: opts.removeEntries }).catch((error: unknown) => {
        // The vault's refusal names the clients and says what to do in the window; here, the
        // commands that do it take the place of that advice.
        const advice = stillUsedAdvice(using.length)
        if (using.length && error instanceof KeywardenError && error.code === 'conflict' && error.message.endsWith(advice))
          throw new KeywardenError('conflict', error.message.slice(0, -advice.length) + stillUsedCommands(key, using))
        throw error
      })
      output.out(
        `Removed "${key.name}" from the vault${result.removed.length ? `, with its entries in ${result.removed.join(', ')}` : ''}. It still works at its service: revoke it there if nothing needs it.`
      )
    })

  program
    .command('providers')
    .description('List connected providers and their sync state')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const providers = await (await open()).providers.list()
      output.out(
        opts.json
          ? JSON.stringify(providers, null, 2)
          : table([
              ['ID', 'NAME', 'KIND', 'LAST SYNCED', 'ERROR'],
              ...providers.map((p) => [p.id, p.name, p.kind, p.sync.lastSyncedAt ?? 'never', p.sync.error ?? ''])
            ])
      )
    })
}

/**
 * Runs a command for the provider the person named; when it is not connected (the Local sandbox
 * connects itself on first use), the refusal says so and lists the connected ones.
 */
async function namingProvider<T>(api: AppClient, id: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (id === undefined || !(error instanceof KeywardenError) || error.code !== 'not-found') throw error
    const providers = await api.providers.list()
    if (providers.some((p) => p.id === id)) throw error
    throw new KeywardenError(
      'not-found',
      `No provider ${quoted(id)} is connected. ${
        providers.length ? `Use one of: ${providers.map((p) => `${p.id} (${p.name})`).join(', ')}.` : 'None is connected yet.'
      } Connect others in the app.`
    )
  }
}
