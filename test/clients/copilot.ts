import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const COPILOT = resolve(import.meta.dirname, '../../node_modules/.bin/copilot')

/** Trusts a folder as the person would when Copilot CLI asks (it reads no workspace servers otherwise). */
export async function trustForCopilot(home: string, folder: string): Promise<void> {
  await mkdir(join(home, '.copilot'), { recursive: true })
  await writeFile(join(home, '.copilot', 'config.json'), JSON.stringify({ trusted_folders: [folder] }))
}

/**
 * Runs the real GitHub Copilot CLI from the npm registry with a temporary home. `copilot mcp list`
 * and `copilot mcp get <name>` read its files without an account or a connection.
 */
export function copilotIn(home: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, NO_COLOR: '1', COPILOT_AUTO_UPDATE: 'false' }
  for (const name of ['COPILOT_HOME', 'XDG_CONFIG_HOME', 'GH_TOKEN', 'GITHUB_TOKEN', 'COPILOT_GITHUB_TOKEN']) delete env[name]
  return new Promise((done) => {
    const child = spawn(COPILOT, args, { env, cwd: options.cwd ?? home, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('close', () => done(out))
  })
}

/** `copilot mcp get` output as fields: { Type: 'http', URL: '…', Headers: 'Authorization: ***', … }. */
export function copilotFields(out: string): Record<string, string> {
  const fields: Record<string, string> = {}
  let last = ''
  for (const line of out.split('\n')) {
    const field = /^ {2}(\w[\w ]*):\s*(.*)$/.exec(line)
    if (field) {
      last = field[1]!
      fields[last] = field[2]!.trim()
    } else if (/^ {4}\S/.test(line) && last) fields[last] = [fields[last], line.trim()].filter(Boolean).join('; ')
  }
  return fields
}
