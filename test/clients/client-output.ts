import { spawn } from 'node:child_process'

/** Runs a real client's command line with no stdin and answers everything it printed, stdout and stderr together. */
export function clientOutput(command: string[], env: Record<string, string | undefined>, cwd: string): Promise<string> {
  return new Promise((done) => {
    const child = spawn(command[0]!, command.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('close', () => done(out))
  })
}
