import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const leftAtExit = new Set<string>()

/**
 * A new folder under the system's temporary folder, removed with everything in it when the test
 * that made it ends (after its afterEach hooks have closed what used it). One made outside a test
 * (beforeAll, module level) is removed when the test process exits.
 */
export async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  try {
    onTestFinished(() => rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined))
  } catch {
    if (!leftAtExit.size) process.once('exit', () => leftAtExit.forEach((d) => rmSync(d, { recursive: true, force: true })))
    leftAtExit.add(dir)
  }
  return dir
}
