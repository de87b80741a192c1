import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import path from 'node:path'
import { constants } from 'node:os'
import { CommanderError, type Command } from 'commander'
import { KeywardenError } from '../../shared/errors'
import { quoted } from '../../shared/input-errors'
import type { Binding, KeyMeta } from '../../shared/schemas'
import { maskSecret } from '../vault/fingerprint'
import type { AppClient } from '../ipc/client'
import { resolveKey } from './keys-commands'
import type { CommandDeps } from './output'
import { launchSpec } from './windows-launch'

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/
const collect = (value: string, list: string[] = []) => [...list, value]

/** The child's own exit code, passed through the command line's usual error path. */
class ChildExit extends CommanderError {
  constructor(code: number) {
    super(code, 'keywarden.run.exit', '')
  }
}

/**
 * `keywarden run -- <command>`: starts a command with keys from the keychain in its environment,
 * under the variables that env-placed entries name (`bearer_token_env_var`, `${VAR}`, `{env:VAR}`),
 * as `op run` does. Values are never printed; the command's exit code is passed through, and
 * signals sent to Keywarden reach it.
 */
export function registerRunCommand(program: Command, { api: open, output }: CommandDeps): void {
  program
    .command('run')
    .description('Run a command with keys from the keychain in its environment, for entries that name a variable')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--client <client>', 'only the variables of this client (repeatable)', collect)
    .option('--key <key>', "only this key's variables (repeatable)", collect)
    .option('--env <NAME=key>', 'also give this variable this key (repeatable)', collect)
    .option('--all', 'the variables of every entry that names one, for every client')
    .action(async (command: string[], opts: { client?: string[]; key?: string[]; env?: string[]; all?: boolean }) => {
      const api = await open()
      const vars = await variables(api, await selection(api, command[0]!, opts))
      const code = await runChild(command, vars, output)
      if (code !== 0) throw new ChildExit(code)
    })
}

/**
 * Which keys the command gets. Only the ones asked for: `--client`, `--key`, `--env` or `--all`.
 * With none of these, a command that is a client's own program (`codex`, `gemini`…) gets that
 * client's variables; any other command is refused rather than handed every key.
 */
async function selection(
  api: AppClient,
  program: string,
  opts: { client?: string[]; key?: string[]; env?: string[]; all?: boolean }
): Promise<{ client?: string[]; key?: string[]; env?: string[] }> {
  if (opts.all || opts.client || opts.key || opts.env) return opts
  const name = path
    .basename(program.replace(/\\/g, '/'))
    .replace(/\.(cmd|bat|exe|ps1)$/i, '')
    .toLowerCase()
  const clients = await api.clients.list()
  const client = clients.find((c) => c.command === name)
  if (client) return { client: [client.client] }
  const commands = clients.flatMap((c) => (c.command ? [`${c.command} (${c.client})`] : []))
  throw new KeywardenError(
    'invalid-input',
    `Say which keys ${quoted(program)} should get: --client <client>, --key <key> or --env NAME=<key> (or --all for every entry's variable). Started as a client's own program — ${commands.join(', ')} — it gets that client's keys.`
  )
}

/** The variables to set, each with the key it carries, read from the keychain. */
async function variables(api: AppClient, opts: { client?: string[]; key?: string[]; env?: string[] }): Promise<Record<string, string>> {
  const keys = await api.keys.list()
  const known = (await api.clients.list()).map((c) => c.client)
  for (const c of opts.client ?? []) {
    if (!known.includes(c)) throw new KeywardenError('invalid-input', `Unknown client ${quoted(c)}; use one of ${known.join(', ')}.`)
  }
  const only = opts.key?.map((ref) => resolveKey(keys, ref).id)
  const wanted = new Map<string, string>()
  const give = (name: string, keyId: string, why: string) => {
    const other = wanted.get(name)
    if (other && other !== keyId) {
      throw new KeywardenError(
        'conflict',
        `${name} is named for two different keys (${keyName(keys, other)} and ${keyName(keys, keyId)}, ${why}). Pick one with --key or --client.`
      )
    }
    wanted.set(name, keyId)
  }
  const bindings = (await api.bindings.list()).filter(
    (b: Binding) =>
      b.placement === 'env' && b.envVar && (!opts.client || opts.client.includes(b.client)) && (!only || only.includes(b.keyId))
  )
  for (const b of bindings) give(b.envVar!, b.keyId, `in ${b.file}`)
  for (const pair of opts.env ?? []) {
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq)
    if (eq < 1 || !VAR_NAME.test(name))
      throw new KeywardenError('invalid-input', `--env takes NAME=<key>, e.g. --env MY_TOKEN=work-laptop.`)
    give(name, resolveKey(keys, pair.slice(eq + 1)).id, 'given with --env')
  }
  if (wanted.size === 0) {
    throw new KeywardenError(
      'not-found',
      'No key to provide: no entry Keywarden wrote names a variable (add one with `keywarden inject <key> --client <client> --placement env`), and no --env NAME=<key> was given.'
    )
  }
  const out: Record<string, string> = {}
  for (const [name, keyId] of wanted) {
    const key = keys.find((k) => k.id === keyId)!
    if (key.status === 'revoked')
      throw new KeywardenError(
        'conflict',
        `"${key.name}" (${key.prefix}…) is revoked, so ${name} cannot be given. Remove the entries that name it (\`keywarden bindings remove <binding>\`; \`keywarden bindings\` lists them) and add an active key to the client (\`keywarden inject <key> --client <client> --placement env\`).`
      )
    // Read through the contract as a reveal: the person asked for the value to reach this command.
    out[name] = (await api.keys.reveal({ keyId })).secret
  }
  return out
}

const keyName = (keys: KeyMeta[], id: string) => {
  const k = keys.find((x) => x.id === id)
  return k ? `"${k.name}" (${maskSecret(k.prefix ?? '')})` : id
}

/**
 * Runs the command in the same terminal. Ctrl-C in a terminal already reaches the whole process
 * group, so SIGINT and SIGQUIT are forwarded only when no terminal sent them (stdin not a TTY);
 * SIGTERM and SIGHUP, which are sent to one process, always are.
 */
function runChild(command: string[], vars: Record<string, string>, output: CommandDeps['output']): Promise<number> {
  const [file, ...args] = command
  const env = { ...process.env, ...vars }
  // npm installs the clients on Windows as .cmd shims, which Node starts only through cmd.exe.
  const launch = launchSpec(file!, args, {
    platform: process.platform,
    env,
    isFile: (p) => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false
  })
  return new Promise((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { stdio: 'inherit', env, windowsVerbatimArguments: launch.windowsVerbatimArguments })
    const forwarded: NodeJS.Signals[] = process.stdin.isTTY ? ['SIGTERM', 'SIGHUP'] : ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT']
    const handlers = forwarded.map((signal) => {
      const handler = () => child.kill(signal)
      process.on(signal, handler)
      return [signal, handler] as const
    })
    // Ctrl-C is the child's to answer; Keywarden waits for it to exit.
    const ignore = () => {}
    if (process.stdin.isTTY) process.on('SIGINT', ignore)
    const done = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler)
      process.off('SIGINT', ignore)
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      done()
      if (error.code !== 'ENOENT')
        return reject(new KeywardenError('unsupported', `${quoted(file)} could not be started (${error.code ?? error.message}).`))
      // As a shell says it, with a shell's exit code for a command not found.
      output.err(`keywarden: ${quoted(file)} ${/[\\/]/.test(file!) ? 'does not exist' : 'was not found on PATH'}.`)
      resolve(127)
    })
    child.on('exit', (code, signal) => {
      done()
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0))
    })
  })
}
