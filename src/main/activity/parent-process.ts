import { readFileSync } from 'node:fs'

/** How a process is seen: its command line (or name) and its own parent. */
export interface ProcessInfo {
  command: string
  ppid?: number
}

/** Reads a process's command line and parent: /proc on Linux, `ps` on macOS; nothing elsewhere. */
export async function processInfo(pid: number, platform: NodeJS.Platform = process.platform): Promise<ProcessInfo | undefined> {
  if (platform === 'linux') {
    try {
      // Two small reads from the kernel's process table: synchronous, so a busy machine's thread pool
      // does not hold up the helper's exit.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1])
      return { command: cmdline.split('\0').filter(Boolean).join(' '), ppid: Number.isFinite(ppid) ? ppid : undefined }
    } catch {
      return undefined
    }
  }
  if (platform === 'darwin') {
    // Loaded only here: the headers helper on Linux must not pay for child_process at every connect.
    const { execFile } = await import('node:child_process')
    return new Promise((resolve) =>
      execFile('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { timeout: 2000 }, (error, stdout) => {
        const m = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim())
        resolve(error || !m ? undefined : { ppid: Number(m[1]), command: m[2]! })
      })
    )
  }
  return undefined
}

/** Clients by what their process's command line contains, most specific first; ids as Keywarden names clients. */
const CLIENTS: Array<[RegExp, string]> = [
  [/claude[ -]?desktop/i, 'claude-desktop'],
  // Case matters: Claude Desktop's program is "Claude", Claude Code's "claude".
  [/Claude\.app|[\\/]Claude(?:\.exe)?(?:\s|$)/, 'claude-desktop'],
  [/\bclaude\b|@anthropic-ai[\\/]claude-code/i, 'claude-code'],
  [/\bcodex\b|@openai[\\/]codex/i, 'codex'],
  [/\bcursor\b/i, 'cursor'],
  [/windsurf/i, 'windsurf'],
  [/Code - Insiders|code-insiders/i, 'vscode-insiders'],
  [/(?:^|[\\/])code(?:\.exe)?(?:\s|$)/i, 'vscode'],
  // Case matters here: a folder named "code" in a path is no sign of VS Code.
  [/Visual Studio Code|[\\/]Code[\\/]/, 'vscode'],
  [/gemini/i, 'gemini-cli'],
  [/copilot/i, 'copilot-cli'],
  [/opencode/i, 'opencode'],
  [/@modelcontextprotocol[\\/]inspector|mcp-inspector/i, 'mcp-inspector'],
  [/\bzed\b/i, 'zed']
]
/** Programs that only run another command: their arguments are that command (often Keywarden's own), not who asked. */
const SHELLS = /^(?:\S*[\\/])?(?:sh|bash|zsh|dash|fish|ksh|cmd\.exe|powershell(?:\.exe)?|pwsh|env|timeout)(?:\s|$)/i

/** A program that is no known client, named by its program (and script, for an interpreter). */
function programName(command: string): string {
  const [program = '', ...args] = command.split(/\s+/)
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p
  const interpreter = /^(?:node|bun|deno|python[\d.]*|ruby|perl)(?:\.exe)?$/i.test(base(program))
  // The script an interpreter runs: a file with a script's extension, else its first argument.
  const script = interpreter ? (args.find((a) => /\.(?:[cm]?[jt]s|py|rb|pl)$/.test(a)) ?? args.find((a) => !a.startsWith('-'))) : undefined
  return (script ? `${base(program)} ${base(script)}` : base(program)).slice(0, 80) || 'unknown'
}

/**
 * Which MCP client started this process (the headers helper, the bridge): its parent, past any
 * shell in between (Claude Code runs the helper through `sh -c`). A parent that is no known client
 * is named by its program, so a script reading a key shows as itself; "unknown" when the platform
 * does not say. Keywarden's own check during a rotation says so in its environment.
 */
export async function askingClient(
  pid: number = process.ppid,
  read: (pid: number) => Promise<ProcessInfo | undefined> = (p) => processInfo(p),
  env: Record<string, string | undefined> = process.env
): Promise<string> {
  if (env['KEYWARDEN_ASKED_BY'] === 'keywarden') return 'keywarden'
  let current: number | undefined = pid
  for (let depth = 0; depth < 4 && current && current > 1; depth++) {
    const info = await read(current)
    if (!info) break
    if (SHELLS.test(info.command)) {
      current = info.ppid
      continue
    }
    return CLIENTS.find(([re]) => re.test(info.command))?.[1] ?? programName(info.command)
  }
  return 'unknown'
}
