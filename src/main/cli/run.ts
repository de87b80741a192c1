import { Command, CommanderError } from 'commander'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import { maskKeyShapes } from '../../shared/secret-shapes'
import { defaultDataDir } from '../vault/data-dir'
import { stdio, type Output } from './output'
import { registerKeyCommands } from './keys-commands'
import { registerClientCommands } from './client-commands'
import { registerRotationCommands } from './rotation-commands'
import type { App } from '../app/open-app'
import type { AppClient } from '../ipc/client'
import type { Launcher } from '../bridge/runtime/launch-command'
import { registerRunCommand } from './run-with-keys'
import { registerFindingsCommands } from './findings-commands'
import { registerSandboxCommand, untilSignalled } from './sandbox-command'

const COMMANDS = new Set([
  'keys',
  'providers',
  'clients',
  'inject',
  'bindings',
  'undo',
  'mcp-headers',
  'mcp-bridge',
  'rotate',
  'rotations',
  'run',
  'sandbox',
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
  /** How clients start the helper and the bridge (the packaged app passes its runtime). */
  launcher?: Launcher
  /** Tests pass their own app (temporary data folder, private keychain). */
  app?: (dataDir: string) => Promise<App>
  /** How `keywarden sandbox` waits to be stopped (a signal, by default). */
  untilStopped?: () => Promise<void>
}

/** Runs one command and returns the exit code. */
export async function runCli(args: string[], options: CliOptions): Promise<number> {
  const output = options.output ?? stdio
  const env = options.env ?? process.env
  if (args[0] === 'mcp-headers') return (await import('./mcp-headers')).runMcpHeaders(args.slice(1), env, options.dataDir)
  if (args[0] === 'mcp-bridge') return (await import('../bridge/run-bridge')).runMcpBridge(args.slice(1), env, { dataDir: options.dataDir })
  let app: App | undefined
  const program = new Command('keywarden')
    .description('Keywarden: your API keys in the OS keychain, in your MCP clients, rotated safely.')
    .version(options.version)
    .option('--data-dir <path>', "Keywarden's data folder (default: the app's own)")
    .exitOverride()
    // The parser's own messages quote what was typed, which may be a pasted key.
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(maskKeyShapes(s.replace(/^error: /, 'keywarden: '))) })

  // Commands reach Keywarden through the contract, exactly as the window does.
  const api = async (): Promise<AppClient> => {
    if (!app) {
      // Absolute, whatever was typed: see defaultDataDir.
      const dataDir = resolve(
        (program.opts()['dataDir'] as string | undefined) ?? options.dataDir ?? defaultDataDir(homedir(), process.platform, env)
      )
      const open =
        options.app ?? (async (dir: string) => (await import('./cli-context')).openCliApp(dir, options.version, env, options.launcher))
      app = await open(dataDir)
    }
    return app.api
  }

  registerKeyCommands(program, { api, output })
  registerClientCommands(program, { api, output })
  registerRotationCommands(program, { api, output })
  registerRunCommand(program, { api, output })
  registerFindingsCommands(program, { api, output })
  registerSandboxCommand(program, { api, output }, options.untilStopped ?? untilSignalled)

  try {
    await program.parseAsync(args, { from: 'user' })
    return 0
  } catch (error) {
    // A command the parser could not read is a usage error, as Keywarden's own refusals of bad input
    // are; a command `keywarden run` started passes its own exit code through.
    if (error instanceof CommanderError) return error.exitCode === 0 || error.code.startsWith('keywarden.') ? error.exitCode : 2
    if (error instanceof KeywardenError) {
      output.err(`keywarden: ${error.message}`)
      return error.code === 'invalid-input' || error.code === 'not-found' ? 2 : 1
    }
    output.err(`keywarden: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    if (app && !options.app) await app.close()
  }
}
