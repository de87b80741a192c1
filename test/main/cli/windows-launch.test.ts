import { describe, expect, it } from 'vitest'
import { launchSpec, quoteWindowsArg } from '../../../src/main/cli/windows-launch'

const files = (...paths: string[]) => {
  const set = new Set(paths.map((p) => p.toLowerCase()))
  return (p: string) => set.has(p.toLowerCase())
}
const win = (isFile: (p: string) => boolean, env: Record<string, string> = {}) => ({
  platform: 'win32' as const,
  env: {
    Path: 'C:\\Windows\\system32;C:\\Users\\ana\\AppData\\Roaming\\npm',
    PATHEXT: '.COM;.EXE;.BAT;.CMD',
    ComSpec: 'C:\\Windows\\system32\\cmd.exe',
    ...env
  },
  isFile
})

/** How cmd.exe reads `/s /c "<line>"`, then how the shim's %* is read once more: carets removed twice. */
const uncaret = (text: string) => text.replace(/\^(.)/g, '$1')

/** Windows' own splitting of a command line into arguments (CommandLineToArgvW's rules). */
function splitWindows(line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < line.length) {
    while (line[i] === ' ') i++
    if (i >= line.length) break
    let arg = ''
    let quoted = false
    for (; i < line.length && (quoted || line[i] !== ' '); i++) {
      let slashes = 0
      while (line[i] === '\\') {
        slashes++
        i++
      }
      if (line[i] === '"') {
        arg += '\\'.repeat(Math.floor(slashes / 2))
        if (slashes % 2) arg += '"'
        else quoted = !quoted
      } else {
        arg += '\\'.repeat(slashes)
        if (i < line.length) arg += line[i]
        else break
      }
    }
    out.push(arg)
  }
  return out
}

describe('starting a command on Windows', () => {
  it('runs an npm .cmd shim found on PATH through cmd.exe, with every argument reaching the program intact', () => {
    const shim = 'C:\\Users\\ana\\AppData\\Roaming\\npm\\codex.cmd'
    const args = ['exec', 'say "hi" & del *', '50% off!', 'C:\\path with space\\', 'a|b>c<d^e', '']
    const spec = launchSpec('codex', args, win(files(shim)))
    expect(spec.file).toBe('C:\\Windows\\system32\\cmd.exe')
    expect(spec.windowsVerbatimArguments).toBe(true)
    expect(spec.args.slice(0, 3)).toEqual(['/d', '/s', '/c'])
    const line = spec.args[3]!
    expect(line.startsWith('"') && line.endsWith('"')).toBe(true)
    // No metacharacter is left bare for cmd.exe: & | < > only ever appear escaped.
    expect(line.slice(1, -1).replace(/\^./g, '')).not.toMatch(/[&|<>%!]/)
    const [program, ...rest] = splitWindows(uncaret(line.slice(1, -1)))
    expect(program?.toLowerCase()).toBe(shim.toLowerCase())
    expect(splitWindows(uncaret(uncaret(line.slice(1, -1)))).slice(1)).toEqual(args)
    expect(rest.length).toBe(args.length)
  })

  it('starts an .exe directly, and a .bat the same way as a .cmd', () => {
    const exe = launchSpec('node', ['-v'], win(files('C:\\Windows\\system32\\node.exe')))
    expect({ ...exe, file: exe.file.toLowerCase() }).toEqual({ file: 'c:\\windows\\system32\\node.exe', args: ['-v'] })
    const bat = launchSpec('C:\\tools\\gemini', ['mcp'], win(files('C:\\tools\\gemini.bat')))
    expect(bat.file).toMatch(/cmd\.exe$/)
    expect(splitWindows(uncaret(uncaret(bat.args[3]!.slice(1, -1)))).map((a) => a.toLowerCase())).toEqual(['c:\\tools\\gemini.bat', 'mcp'])
  })

  it('follows PATHEXT order and PATH order, as the shell does', () => {
    const spec = launchSpec(
      'copilot',
      [],
      win(files('C:\\Users\\ana\\AppData\\Roaming\\npm\\copilot.cmd', 'C:\\Users\\ana\\AppData\\Roaming\\npm\\copilot.exe'))
    )
    expect(spec.file.toLowerCase()).toBe('c:\\users\\ana\\appdata\\roaming\\npm\\copilot.exe')
  })

  it('leaves a command it cannot find to spawn, which reports it missing', () => {
    expect(launchSpec('nope', ['x'], win(files()))).toEqual({ file: 'nope', args: ['x'] })
  })

  it('changes nothing on Linux and macOS', () => {
    for (const platform of ['linux', 'darwin'] as const)
      expect(launchSpec('codex', ['a & b'], { platform, env: {}, isFile: () => true })).toEqual({ file: 'codex', args: ['a & b'] })
  })

  it('quotes backslashes only where Windows would read them as escapes', () => {
    expect(quoteWindowsArg('C:\\dir\\')).toBe('"C:\\dir\\\\"')
    expect(quoteWindowsArg('say \\"x\\"')).toBe('"say \\\\\\"x\\\\\\""')
    expect(splitWindows(quoteWindowsArg('say \\"x\\"'))).toEqual(['say \\"x\\"'])
  })
})
