import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockFile } from '../../../src/main/vault/file-lock'
import { tempFolder } from '../../support/temp-folder'

/** A process id that is not running: far above any pid this machine hands out. */
const DEAD = 2 ** 22 + 17

async function leftLock(dir: string, name: string, pid: number) {
  await mkdir(join(dir, name))
  await writeFile(join(dir, name, 'owner'), JSON.stringify({ pid, host: hostname() }))
}

describe('the lock Keywarden processes take on a shared file', () => {
  it('takes over a killed holder’s lock at once, and clears what a killed taker left moving one aside', async () => {
    const dir = await tempFolder('kw-lock-')
    const file = join(dir, 'vault.json')
    await leftLock(dir, 'vault.json.lock', DEAD)
    // A taker killed between moving that lock aside and deleting it.
    await leftLock(dir, 'vault.json.lock.stale-0123456789ab', DEAD)
    const started = Date.now()
    const release = await lockFile(file, { timeoutMs: 2000 })
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await readdir(dir)).sort()).toEqual(['vault.json.lock'])
    await release()
    expect(await readdir(dir)).toEqual([])
  })

  it('leaves alone a lock moved aside whose holder still runs (it is being put back)', async () => {
    const dir = await tempFolder('kw-lock-')
    await leftLock(dir, 'vault.json.lock.stale-0123456789ab', process.pid)
    const release = await lockFile(join(dir, 'vault.json'))
    expect((await readdir(dir)).sort()).toEqual(['vault.json.lock', 'vault.json.lock.stale-0123456789ab'])
    await release()
  })

  it('names the file it stands for when a live holder keeps it too long, not where the lock is kept', async () => {
    const dir = await tempFolder('kw-lock-')
    await leftLock(dir, 'c5c7c832.lock', process.pid)
    const refused = await lockFile(join(dir, 'c5c7c832'), { timeoutMs: 50, names: '/home/you/.claude.json' }).catch((e: Error) => e)
    expect((refused as Error).message).toMatch(/^\/home\/you\/\.claude\.json is locked by another Keywarden process \(process \d+\)/)
  })
})
