import type { Command } from 'commander'
import type { CommandDeps } from './output'

/** Resolves when the person stops the command (Ctrl-C, or a SIGTERM from whoever started it). */
export const untilSignalled = (): Promise<void> =>
  new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

/**
 * `keywarden sandbox`: this vault's Local sandbox, served on its saved port until stopped, so a
 * client bound to it connects with the window closed too. Other commands find it there and bind
 * to it; when the app or another `keywarden sandbox` already serves it, there is nothing to do.
 */
export function registerSandboxCommand(program: Command, { api: open, output }: CommandDeps, untilStopped: () => Promise<void>): void {
  program
    .command('sandbox')
    .description("Serve this vault's Local sandbox on its saved port until stopped (Ctrl-C), for clients bound to it")
    .action(async () => {
      const api = await open()
      const { sandbox } = await api.app.status()
      if (!sandbox.running || !sandbox.url) {
        output.err(`keywarden: ${sandbox.error ?? 'The Local sandbox could not start.'}`)
        process.exitCode = 1
        return
      }
      const origin = new URL(sandbox.url).origin
      if (sandbox.lasting)
        return output.out(`This vault's Local sandbox is already running at ${origin} (the app, or another \`keywarden sandbox\`).`)
      output.out(
        `Serving this vault's Local sandbox at ${origin} (MCP: ${origin}/mcp). Clients bound to it can connect while this runs; stop it with Ctrl-C.`
      )
      await untilStopped()
      output.out('Local sandbox stopped.')
    })
}
