/**
 * The command Claude Code runs as `headersHelper`: this same program with `mcp-headers <binding>`.
 * The data folder and keychain service are spelled out, so the helper finds the key whatever
 * environment Claude Code was started from. Quoted for a POSIX shell (Claude Code runs it through
 * one) or cmd.exe on Windows.
 */
export function helperCommand(options: {
  argv: string[]
  bindingId: string
  dataDir?: string
  keychainService?: string
  platform: NodeJS.Platform
}): string {
  const args = [
    ...options.argv,
    'mcp-headers',
    options.bindingId,
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.keychainService ? ['--keychain-service', options.keychainService] : [])
  ]
  return args.map((a) => quote(a, options.platform)).join(' ')
}

function quote(arg: string, platform: NodeJS.Platform): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`
  return `'${arg.replace(/'/g, `'\\''`)}'`
}
