import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { clientOutput } from './client-output'

const GEMINI = resolve(import.meta.dirname, '../../node_modules/.bin/gemini')

/** Marks a folder as trusted, as the person would: Gemini CLI reads no server config in an untrusted one. */
export async function trustFolder(home: string, folder: string): Promise<void> {
  await mkdir(join(home, '.gemini'), { recursive: true })
  await writeFile(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [folder]: 'TRUST_FOLDER' }))
}

/**
 * Runs the real Gemini CLI from the npm registry with a temporary home (`gemini mcp list` connects
 * to each server and prints Connected or Disconnected); returns what it printed.
 */
export function geminiIn(home: string, args: string[], options: { cwd?: string; prefix?: string[] } = {}): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, NO_COLOR: '1', GEMINI_CLI_NO_RELAUNCH: 'true' }
  delete env['GEMINI_CLI_HOME']
  const command = [...(options.prefix ?? []), GEMINI, ...args]
  return clientOutput(command, env, options.cwd ?? home)
}

/** Each server's state as `gemini mcp list` reports it: name → Connected / Disconnected / … */
export function serverStates(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^\s*[✓✗…○-]?\s*([\w.-]+): .* - (\w+)\s*$/gmu)].map((m) => [m[1]!, m[2]!]))
}
