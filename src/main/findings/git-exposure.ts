import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import path from 'node:path'

export interface GitExposure {
  repo?: string
  tracked?: boolean
  ignored?: boolean
}

/** Runs git with arguments and returns its stdout; rejects when git is missing or fails. */
export type RunGit = (args: string[], cwd: string) => Promise<string>

export const runGit: RunGit = (args, cwd) =>
  new Promise((resolve, reject) =>
    execFile(
      'git',
      args,
      // No optional locks: asking git must never write into the repository.
      { cwd, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, maxBuffer: 16 * 1024 * 1024, timeout: 15_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout))
    )
  )

/**
 * Whether files sit in a git work tree and would travel with it: tracked (committed or staged),
 * or not ignored (the next `git add -A` takes them). The work tree is found by its `.git` entry;
 * git itself answers for tracked and ignored, once per repository. Without git, only the work tree
 * is known.
 */
export async function gitExposure(files: string[], run: RunGit = runGit): Promise<Map<string, GitExposure>> {
  const result = new Map<string, GitExposure>()
  const repoOf = new Map<string, Promise<string | undefined>>()
  const findRepo = (dir: string): Promise<string | undefined> => {
    let found = repoOf.get(dir)
    if (!found) {
      found = stat(path.join(dir, '.git')).then(
        () => dir,
        () => (path.dirname(dir) === dir ? undefined : findRepo(path.dirname(dir)))
      )
      repoOf.set(dir, found)
    }
    return found
  }
  const byRepo = new Map<string, string[]>()
  for (const file of files) {
    const repo = await findRepo(path.dirname(file))
    result.set(file, { repo })
    if (repo) byRepo.set(repo, [...(byRepo.get(repo) ?? []), file])
  }
  for (const [repo, inRepo] of byRepo) {
    const rel = inRepo.map((f) => path.relative(repo, f).split(path.sep).join('/'))
    try {
      const tracked = new Set((await run(['ls-files', '-z', '--cached', '--', ...rel], repo)).split('\0').filter(Boolean))
      const ignored = new Set(
        (await run(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...rel], repo)).split('\0').filter(Boolean)
      )
      inRepo.forEach((file, i) => result.set(file, { repo, tracked: tracked.has(rel[i]!), ignored: ignored.has(rel[i]!) }))
    } catch {
      // git missing, or a repository it refuses to read: the work tree is all that is known.
    }
  }
  return result
}
