import path from 'node:path'

/** How to start a program: what to pass to `spawn`. */
export interface LaunchSpec {
  file: string
  args: string[]
  /** Windows only: the command line is already quoted for cmd.exe. */
  windowsVerbatimArguments?: boolean
}

// cmd.exe's own metacharacters: each is escaped with ^ so that it reaches the program as text.
const CMD_META = /([()\][%!^"`<>&|;, *?])/g

/**
 * One argument quoted as Windows programs split their command line (CommandLineToArgvW): inside
 * quotes, backslashes count only before a quote, so those are doubled.
 */
export function quoteWindowsArg(arg: string): string {
  const quoted = arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')
  return `"${quoted}"`
}

const caret = (text: string) => text.replace(CMD_META, '^$1')

/**
 * What `spawn` needs to start a command on Windows the way a shell would. Node finds only `.exe`
 * files by itself and refuses to run `.cmd`/`.bat` files without a shell — but npm installs Codex,
 * Gemini CLI, Copilot CLI and opencode as `.cmd` shims. The program is looked up on PATH with
 * PATHEXT; a batch file runs through cmd.exe with every argument quoted and its metacharacters
 * escaped twice (once for cmd.exe, once more for the shim, which hands `%*` to another command), so
 * nothing in an argument is run as a command. Elsewhere the command is started as it is.
 */
export function launchSpec(
  command: string,
  args: string[],
  ctx: { platform: NodeJS.Platform; env: Record<string, string | undefined>; isFile: (p: string) => boolean }
): LaunchSpec {
  if (ctx.platform !== 'win32') return { file: command, args }
  const resolved = findOnPath(command, ctx) ?? command
  if (!/\.(cmd|bat)$/i.test(resolved)) return { file: resolved, args }
  const line = [caret(resolved), ...args.map((a) => caret(caret(quoteWindowsArg(a))))].join(' ')
  return {
    file: ctx.env['ComSpec'] ?? ctx.env['COMSPEC'] ?? 'cmd.exe',
    args: ['/d', '/s', '/c', `"${line}"`],
    windowsVerbatimArguments: true
  }
}

/** The file a Windows shell would run for a command: as given when it has a folder, else on PATH, trying PATHEXT. */
function findOnPath(command: string, ctx: { env: Record<string, string | undefined>; isFile: (p: string) => boolean }) {
  const w = path.win32
  const exts = (ctx.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
  const candidates = (base: string) => (w.extname(base) ? [base, ...exts.map((e) => base + e)] : exts.map((e) => base + e))
  if (/[\\/]/.test(command)) return candidates(command).find(ctx.isFile)
  const dirs = (ctx.env['Path'] ?? ctx.env['PATH'] ?? '').split(';').filter(Boolean)
  for (const dir of dirs) {
    const found = candidates(w.join(dir, command)).find(ctx.isFile)
    if (found) return found
  }
  return undefined
}
