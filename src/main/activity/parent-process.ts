import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'

/** How a process is seen: its command line (or name) and its own parent. */
export interface ProcessInfo {
  command: string
  ppid?: number
}

/** Reads a process's command line and parent: /proc on Linux, `ps` on macOS; nothing elsewhere. */
export async function processInfo(pid: number, platform: NodeJS.Platform = process.platform): Promise<ProcessInfo | undefined> {
  if (platform === 'linux') {
    try {
      const [cmdline, status] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')])
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1])
      return { command: cmdline.split('\0').filter(Boolean).join(' '), ppid: Number.isFinite(ppid) ? ppid : undefined }
    } catch {
      return undefined
    }
  }
  if (platform === 'darwin') {
    return new Promise((resolve) =>
      execFile('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { timeout: 2000 }, (error, stdout) => {
        const m = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim())
        resolve(error || !m ? undefined : { ppid: Number(m[1]), command: m[2]! })
      })
    )
  }
  return undefined
}

/** Clients by what their process's command line contains, most specific first. */
const CLIENTS: Array<[RegExp, string]> = [
  [/claude[ -]?desktop|Claude\.app|[\\/]Claude(?:\.exe)?(?:\s|$)/i, 'claude-desktop'],
  [/\bclaude\b|@anthropic-ai[\\/]claude-code/i, 'claude-code'],
  [/\bcodex\b|@openai[\\/]codex/i, 'codex'],
  [/\bcursor\b/i, 'cursor'],
  [/windsurf/i, 'windsurf'],
  [/Code - Insiders|code-insiders/i, 'vscode-insiders'],
  [/(?:^|[\\/\s])code(?:\.exe)?(?:\s|$)|Visual Studio Code|[\\/]Code[\\/]/i, 'vscode'],
  [/gemini/i, 'gemini'],
  [/copilot/i, 'copilot'],
  [/opencode/i, 'opencode'],
  [/\bzed\b/i, 'zed']
]
const SHELLS = /^(?:\S*[\\/])?(?:sh|bash|zsh|dash|fish|ksh|cmd\.exe|powershell(?:\.exe)?|pwsh|env|node|npx|timeout)(?:\s|$)/i

/**
 * Which MCP client started this process (the headers helper, the bridge): its parent, or the
 * first ancestor that is not a shell or launcher in between (Claude Code runs the helper through
 * `sh -c`). "unknown" when the platform does not say.
 */
export async function askingClient(
  pid: number = process.ppid,
  read: (pid: number) => Promise<ProcessInfo | undefined> = (p) => processInfo(p)
): Promise<string> {
  let current: number | undefined = pid
  for (let depth = 0; depth < 4 && current && current > 1; depth++) {
    const info = await read(current)
    if (!info) break
    const client = CLIENTS.find(([re]) => re.test(info.command))?.[1]
    if (client) return client
    if (!SHELLS.test(info.command)) break
    current = info.ppid
  }
  return 'unknown'
}
