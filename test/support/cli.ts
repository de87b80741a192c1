import { runCli } from '../../src/main/cli/run'
import type { App } from '../../src/main/app/open-app'

/** Runs one command line against a test's own app, capturing what it prints. */
export async function cliIn(ctx: App, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    version: 'test',
    app: async () => ctx,
    output: { out: (t) => out.push(t), err: (t) => err.push(t) }
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}
