import { spawn } from 'node:child_process'
import type { ProbeResult } from '../providers/mcp-probe'

/** What a headers helper may print (Codex's limit), and how long a client waits for it. */
const MAX_OUTPUT = 64 * 1024
const TIMEOUT_MS = 10_000

/**
 * Runs a headers helper as its client does — the command line written in the entry, through the
 * system's shell, with a bare environment — and checks the server with the headers it prints: what
 * a rotation verifies for each helper entry. A helper that does not start, fails or prints no JSON
 * object fails the check, saying so.
 */
export async function probeThroughHelper(options: {
  line: string
  url: string
  serviceName: string
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  probe: (o: { url: string; header: { name: string; value: string }; serviceName: string }) => Promise<ProbeResult>
}): Promise<ProbeResult> {
  const failed = (why: string): ProbeResult => ({
    valid: false,
    outcome: 'unreachable',
    message: `The headers helper written in the entry (${options.line.slice(0, 200)}) ${why}: repair the entry from Keywarden's Tools, then resume.`
  })
  const ran = await runLine(options.line, options.platform, options.env)
  if ('error' in ran) return failed(`could not be started (${ran.error})`)
  if (ran.code !== 0) return failed(`stopped with exit code ${ran.code}${ran.said ? `: ${ran.said}` : ''}`)
  let headers: unknown
  try {
    headers = JSON.parse(ran.out)
  } catch {
    headers = undefined
  }
  const first = headers && typeof headers === 'object' && !Array.isArray(headers) ? Object.entries(headers)[0] : undefined
  if (!first || typeof first[1] !== 'string') return failed('printed no header')
  return options.probe({ url: options.url, header: { name: first[0], value: first[1] }, serviceName: options.serviceName })
}

function runLine(
  line: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>
): Promise<{ code: number | null; out: string; said: string } | { error: string }> {
  const [file, args, verbatim] =
    platform === 'win32' ? [env['ComSpec'] ?? 'cmd.exe', ['/d', '/s', '/c', `"${line}"`], true] : ['/bin/sh', ['-c', line], false]
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS, windowsVerbatimArguments: verbatim })
    let out = ''
    let said = ''
    child.stdout.on('data', (d: Buffer) => (out = `${out}${d.toString()}`.slice(0, MAX_OUTPUT)))
    // The helper's own last words (it never prints a key on stderr).
    child.stderr.on('data', (d: Buffer) => (said = `${said}${d.toString()}`.slice(-400)))
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    child.on('close', (code) =>
      resolve({
        code,
        out,
        said:
          said
            .trim()
            .split('\n')
            .at(-1)
            ?.replace(/^keywarden[^:]*: /, '') ?? ''
      })
    )
  })
}
