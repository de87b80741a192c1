import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const CLAUDE = resolve(import.meta.dirname, '../../node_modules/.bin/claude')

/** Runs the real Claude Code CLI with a temporary home as its home; returns what it printed. */
export async function claudeIn(
  home: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {}
): Promise<string> {
  const { stdout, stderr } = await run(CLAUDE, args, {
    env: {
      ...process.env,
      HOME: home,
      CLAUDE_CONFIG_DIR: '',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ...options.env
    },
    cwd: options.cwd ?? home,
    timeout: 60_000
  }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }))
  return `${stdout}${stderr}`
}
