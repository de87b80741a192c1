import { Command, CommanderError } from 'commander'
import { homedir } from 'node:os'
import { KeywardenError } from '../../shared/errors'
import { defaultDataDir } from '../vault/data-dir'
import { stdio, type Output } from './output'
import { registerKeyCommands } from './keys-commands'
import { registerToolCommands } from './tool-commands'
import { registerRotationCommands } from './rotation-commands'
import { registerFindingsCommands } from './findings-commands'
import type { AppContext } from '../app-context'

const COMMANDS = new Set([
  'keys',
  'providers',
  'inject',
  'bindings',
  'undo',
  'mcp-headers',
  'rotate',
  'rotations',
  'scan',
  'activity',
  'help',
  '--help',
  '-h',
  '--version',
  '-V'
])

/** True when the arguments name a command, so the app should run it instead of opening a window. */
export function isCliInvocation(args: string[]): boolean {
  return args.length > 0 && COMMANDS.has(args[0] ?? '')
}

export interface CliOptions {
  version: string
  dataDir?: string
  output?: Output
  env?: Record<string, string | undefined>
  /** Tests pass their own context factory (temporary data folder, private keychain). */
  context?: (dataDir: string) => Promise<AppContext>
}

/** Runs one command and returns the exit code. */
export async function runCli(args: string[], options: CliOptions): Promise<number> {
  const output = options.output ?? stdio
  const env = options.env ?? process.env
  if (args[0] === 'mcp-headers') return (await import('./mcp-headers')).runMcpHeaders(args.slice(1), env, options.dataDir)
  let ctx: AppContext | undefined
  const program = new Command('keywarden')
    .description('Keywarden: your API keys in the OS keychain, in your AI tools, rotated safely.')
    .version(options.version)
    .option('--data-dir <path>', "Keywarden's data folder (default: the app's own)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })

  const context = async (): Promise<AppContext> => {
    if (ctx) return ctx
    const dataDir = (program.opts()['dataDir'] as string | undefined) ?? options.dataDir ?? defaultDataDir(homedir(), process.platform, env)
    const make = options.context ?? (async (dir: string) => (await import('./cli-context')).createCliContext(dir, options.version, env))
    ctx = await make(dataDir)
    return ctx
  }

  registerKeyCommands(program, { context, output })
  registerToolCommands(program, { context, output })
  registerRotationCommands(program, { context, output })
  registerFindingsCommands(program, { context, output })

  try {
    await program.parseAsync(args, { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    if (error instanceof KeywardenError) {
      output.err(`keywarden: ${error.message}`)
      return error.code === 'invalid-input' || error.code === 'not-found' ? 2 : 1
    }
    output.err(`keywarden: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    if (ctx && !options.context) await ctx.close()
  }
}
