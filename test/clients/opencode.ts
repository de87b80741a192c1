import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { clientOutput } from './client-output'

// The platform package's own binary, as `npm run clients` installs it beside the project (it cannot
// be pinned in the lock file); opencode-ai's install script, which only links it into place, is not run.
const PLATFORM_PACKAGE = `opencode-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`
const OPENCODE = resolve(import.meta.dirname, `../../.tools/clients/node_modules/${PLATFORM_PACKAGE}/bin/opencode`)

/** Why the opencode tests cannot run here, or undefined when they can. */
export const opencodeMissing = existsSync(OPENCODE)
  ? undefined
  : `opencode is not installed beside the project (${OPENCODE}); \`npm run clients\` installs it (.ci/run does).`

/**
 * Runs the real opencode CLI from the npm registry with a temporary home and nothing it would
 * fetch (updates, model lists, plugins); `opencode mcp list` connects to each server.
 */
export function opencodeIn(home: string, args: string[], options: { cwd?: string; prefix?: string[] } = {}): Promise<string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1'
  }
  for (const name of ['OPENCODE_CONFIG', 'OPENCODE_CONFIG_DIR', 'OPENCODE_CONFIG_CONTENT']) delete env[name]
  const command = [...(options.prefix ?? []), OPENCODE, ...args]
  return clientOutput(command, env, options.cwd ?? home)
}

/** Each server's state as `opencode mcp list` prints it: name → connected / failed / … */
export function opencodeStates(out: string): Record<string, string> {
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\u001b\[[0-9;]*m/g, '')
  return Object.fromEntries(
    [...plain.matchAll(/[✓✗○●]\s+([\w.-]+)\s+(connected|failed|disabled|needs[\w ]*|pending)/gu)].map((m) => [m[1]!, m[2]!])
  )
}
