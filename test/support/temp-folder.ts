import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** Folders made outside a test, removed once the test file is done (see temp-cleanup.ts). */
export const madeOutsideTests = new Set<string>()

/**
 * A new folder under the system's temporary folder, removed with everything in it when the test
 * that made it ends (after its afterEach hooks have closed what used it). One made outside a test
 * (beforeAll, module level) is removed once every test of its file has run.
 */
export async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  try {
    onTestFinished(() => removeFolder(dir))
  } catch {
    madeOutsideTests.add(dir)
  }
  return dir
}

export const removeFolder = (dir: string) => rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
