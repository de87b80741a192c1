import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FindingSource } from '../../shared/findings'
import type { ConfigLocation } from '../mcp-config/paths'

/** One file to scan, with what it is. */
export interface ScanFile {
  path: string
  size: number
  source: FindingSource
  /** Client config locations kept in this file (~/.claude.json holds many). */
  locations?: ConfigLocation[]
}

export interface ScanSkip {
  file: string
  reason: string
}

export interface ScanTargets {
  home: string
  platform: 'linux' | 'darwin' | 'win32'
  env: Record<string, string | undefined>
  /** Every MCP client config location Keywarden knows (all scopes, profiles and projects). */
  locations: ConfigLocation[]
  /** Folders the person added: their `.env*` files and MCP configs. */
  folders?: string[]
  history?: boolean
  transcripts?: boolean
}

/** File names that hold MCP servers, in a project folder or anywhere under a folder added. */
const MCP_CONFIG_NAMES = new Set([
  '.mcp.json',
  'mcp.json',
  'mcp_config.json',
  'mcp-config.json',
  'claude_desktop_config.json',
  'opencode.json',
  'opencode.jsonc',
  'settings.json',
  'config.toml'
])
/** settings.json and config.toml hold servers only in these tools' folders. */
const MCP_CONFIG_PARENTS: Record<string, string[]> = { 'settings.json': ['.gemini', '.vscode', 'zed'], 'config.toml': ['.codex'] }
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.cache', '.next', 'dist', 'target'])
const MAX_DEPTH = 12
/** Entries looked at under one folder before the walk stops (a folder such as / would never end). */
export const MAX_ENTRIES = 200_000

/** Shell history files of bash, zsh (plain and extended format alike), fish and PowerShell. */
export function historyFiles(t: Pick<ScanTargets, 'home' | 'env' | 'platform'>): string[] {
  const j = path.join
  const zdot = t.env['ZDOTDIR'] || t.home
  const dataHome = t.env['XDG_DATA_HOME'] || j(t.home, '.local', 'share')
  const files = [
    t.env['HISTFILE'],
    j(t.home, '.bash_history'),
    j(zdot, '.zsh_history'),
    j(zdot, '.zhistory'),
    j(t.home, '.histfile'),
    j(dataHome, 'fish', 'fish_history')
  ]
  if (t.platform === 'win32' && t.env['APPDATA'])
    files.push(j(t.env['APPDATA'], 'Microsoft', 'Windows', 'PowerShell', 'PSReadLine', 'ConsoleHost_history.txt'))
  return [...new Set(files.filter((f): f is string => Boolean(f)))]
}

/** Where AI tools keep their transcripts: a folder walked for the given extensions, or one file. */
export function transcriptRoots(t: Pick<ScanTargets, 'home' | 'env'>): Array<{ root: string; extensions: string[] }> {
  const claude = t.env['CLAUDE_CONFIG_DIR'] || path.join(t.home, '.claude')
  const codex = t.env['CODEX_HOME'] || path.join(t.home, '.codex')
  const gemini = path.join(t.env['GEMINI_CLI_HOME'] || t.home, '.gemini')
  return [
    { root: path.join(claude, 'projects'), extensions: ['.jsonl'] },
    { root: path.join(claude, 'history.jsonl'), extensions: ['.jsonl'] },
    { root: path.join(codex, 'sessions'), extensions: ['.jsonl'] },
    { root: path.join(codex, 'archived_sessions'), extensions: ['.jsonl'] },
    { root: path.join(codex, 'history.jsonl'), extensions: ['.jsonl'] },
    { root: path.join(gemini, 'tmp'), extensions: ['.json', '.jsonl'] }
  ]
}

/**
 * Every file a scan reads, each once (by its real path): client configs, shell history,
 * transcripts, and the `.env*` and MCP config files under the folders added. Walking a folder
 * never leaves it: a link to a file outside is noted and skipped, a linked folder is not entered.
 */
export async function collectFiles(t: ScanTargets): Promise<{ files: ScanFile[]; skipped: ScanSkip[] }> {
  const files = new Map<string, ScanFile>()
  const skipped: ScanSkip[] = []
  const add = async (file: string, source: FindingSource, location?: ConfigLocation) => {
    let real: string
    let size: number
    try {
      real = await realpath(file)
      const st = await stat(real)
      if (!st.isFile()) return
      size = st.size
    } catch {
      return
    }
    const existing = files.get(real)
    if (existing) {
      if (location) existing.locations = [...(existing.locations ?? []), location]
      return
    }
    files.set(real, { path: file, size, source, locations: location ? [location] : undefined })
  }

  for (const location of t.locations) await add(location.file, 'client-config', location)
  if (t.history !== false) for (const file of historyFiles(t)) await add(file, 'shell-history')
  if (t.transcripts !== false) {
    for (const { root, extensions } of transcriptRoots(t)) {
      await walk(
        root,
        (file) => extensions.some((e) => file.endsWith(e)),
        (file) => add(file, 'transcript'),
        skipped
      )
    }
  }
  for (const folder of t.folders ?? []) {
    // A folder the person added and has since removed is noted; a tool's folder that was never made is not.
    if (!(await stat(folder).catch(() => undefined))) {
      skipped.push({ file: folder, reason: 'not found (or not readable); remove it from the folders to scan if it is gone for good' })
      continue
    }
    await walk(
      folder,
      (file) => isEnvFile(path.basename(file)) || isMcpConfig(file),
      (file) => add(file, isEnvFile(path.basename(file)) ? 'env-file' : 'mcp-config'),
      skipped
    )
  }
  return { files: [...files.values()], skipped }
}

export const isEnvFile = (name: string) => name === '.env' || (name.startsWith('.env.') && !name.endsWith('.swp')) || name.endsWith('.env')

function isMcpConfig(file: string): boolean {
  const name = path.basename(file)
  if (!MCP_CONFIG_NAMES.has(name)) return false
  const parents = MCP_CONFIG_PARENTS[name]
  return !parents || parents.includes(path.basename(path.dirname(file)))
}

async function walk(
  root: string,
  wanted: (file: string) => boolean,
  take: (file: string) => Promise<void>,
  skipped: ScanSkip[],
  maxEntries = MAX_ENTRIES
): Promise<void> {
  let top: string
  try {
    top = await realpath(root)
  } catch {
    return
  }
  const st = await stat(top)
  if (st.isFile()) return wanted(root) ? take(root) : undefined
  const inside = (p: string) => p === top || p.startsWith(top.endsWith(path.sep) ? top : top + path.sep)
  let seen = 0
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      if (++seen > maxEntries) {
        if (seen === maxEntries + 1)
          skipped.push({ file: root, reason: `more than ${maxEntries} entries; the rest of the folder was not scanned` })
        return
      }
      const full = path.join(dir, e.name)
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) await visit(full, depth + 1)
      } else if (e.isFile()) {
        if (wanted(full)) await take(full)
      } else if (e.isSymbolicLink() && wanted(full)) {
        const target = await realpath(full).catch(() => undefined)
        if (!target) continue
        if (!inside(target)) skipped.push({ file: full, reason: `a link to ${target}, outside ${root}` })
        else if ((await lstat(target)).isFile()) await take(target)
      }
    }
  }
  await visit(top, 0)
}
