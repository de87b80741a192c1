/**
 * One command line for a shell: what Claude Code runs as `headersHelper` (through `sh -c`, or
 * `cmd.exe /d /s /c` on Windows) and Codex as `http_headers_helper`.
 *
 * POSIX: single quotes. Windows: cmd.exe expands `%VAR%` before it looks at quotes at all, so a
 * path such as `C:\Users\100%\…` could become another path, or another command. Each `%` is written
 * `%%cd:~,%` (an empty slice of the always-defined %cd%, which leaves exactly one `%` and splits any
 * variable name), arguments with anything but safe characters are double-quoted (where `& | < > ^`
 * are plain text), an embedded `"` is doubled, and backslashes before a quote are doubled for the
 * program's own argument parser. A line break cannot be carried through cmd.exe and is refused.
 */
export function shellCommand(command: { command: string; args: string[] }, platform: NodeJS.Platform): string {
  return [command.command, ...command.args].map((a) => (platform === 'win32' ? quoteForCmd(a) : quotePosix(a))).join(' ')
}

/** The helper line for one binding (kept for the callers that build it from an argv). */
export function helperCommand(options: {
  argv: string[]
  bindingId: string
  dataDir?: string
  keychainService?: string
  platform: NodeJS.Platform
}): string {
  const [command = '', ...rest] = options.argv
  const args = [
    ...rest,
    'mcp-headers',
    options.bindingId,
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.keychainService ? ['--keychain-service', options.keychainService] : [])
  ]
  return shellCommand({ command, args }, options.platform)
}

function quotePosix(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

function quoteForCmd(arg: string): string {
  if (/[\r\n\0]/.test(arg)) throw new Error('A command for cmd.exe cannot carry a line break; move the folder to a simpler path.')
  const percent = (s: string) => s.replace(/%/g, '%%cd:~,%')
  if (/^[\w@+=:,./\\-]+$/.test(arg)) return percent(arg)
  let out = ''
  let slashes = 0
  for (const c of arg) {
    if (c === '\\') {
      slashes++
      continue
    }
    out += c === '"' ? '\\'.repeat(slashes * 2) + '""' : '\\'.repeat(slashes) + (c === '%' ? '%%cd:~,%' : c)
    slashes = 0
  }
  return `"${out}${'\\'.repeat(slashes * 2)}"`
}
