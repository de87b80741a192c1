import { realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import { KeywardenError } from '../../../shared/errors'
import { resolveTarget } from './safe-write'

const POSIX_SYSTEM = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/boot',
  '/dev',
  '/proc',
  '/sys',
  '/var',
  '/opt',
  '/System',
  '/Library',
  '/private/etc',
  '/private/var',
  '/Applications'
]
const WINDOWS_SYSTEM = ['c:\\windows', 'c:\\program files', 'c:\\program files (x86)', 'c:\\programdata']

const inside = (child: string, parent: string) => {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** The file a config path really names: links followed, the file's own and its folders'. */
export async function realTarget(file: string): Promise<string> {
  const target = await resolveTarget(file)
  try {
    return await realpath(target)
  } catch {
    // Not there yet: its folder may be a link (a project folder linked from elsewhere).
    const dir = await realpath(path.dirname(target)).catch(() => path.dirname(target))
    return path.join(dir, path.basename(target))
  }
}

/**
 * Where a config change will really land. A path that goes through a link is followed only to a
 * file inside the person's home and outside system folders; anything else is refused, naming the
 * link and where it leads.
 */
export async function checkedTarget(
  file: string,
  options: { home?: string; label: string }
): Promise<{ target: string; viaLink: boolean }> {
  const target = await realTarget(file)
  const given = path.resolve(file)
  if (target === given) return { target, viaLink: false }
  const home = await realpath(options.home ?? homedir()).catch(() => path.resolve(options.home ?? homedir()))
  const lower = target.toLowerCase()
  const system =
    process.platform === 'win32'
      ? WINDOWS_SYSTEM.some((s) => inside(lower, s))
      : POSIX_SYSTEM.some((s) => inside(target, s) && !inside(home, s))
  if (system || !inside(target, home)) {
    throw new KeywardenError(
      'file-unwritable',
      `${options.label}: ${file} leads through a link to ${target}, ${system ? 'a system folder' : 'outside your home folder'}. Keywarden does not follow such links; point the link inside your home or change that file by hand. Nothing was written.`
    )
  }
  return { target, viaLink: true }
}
