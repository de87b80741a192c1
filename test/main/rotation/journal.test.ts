import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { openApp } from '../../../src/main/app/open-app'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

describe('rotation journal', () => {
  it('a journal that cannot be read does not stop the app: it is moved aside and the status says where', async () => {
    const base = await testContext({ sandbox: 'off' })
    closers.push(() => base.ctx.close())
    await writeFile(join(base.ctx.dataDir, 'rotations.json'), '{ "version": 1, "rotations": [ {')
    const app = await openApp({
      dataDir: base.ctx.dataDir,
      secrets: base.secrets,
      clipboard: base.clipboard,
      version: 'test',
      home: base.ctx.home,
      platform: 'linux',
      env: {},
      sandbox: 'off'
    })
    closers.push(() => app.close())
    expect(await app.api.rotations.list()).toEqual([])
    const status = await app.api.app.status()
    expect(status.metadataError).toMatch(/rotation journal .* could not be read.*moved to .*rotations\.json\.corrupt-/)
    const aside = (await readdir(base.ctx.dataDir)).find((f) => f.startsWith('rotations.json.corrupt-'))!
    expect(await readFile(join(base.ctx.dataDir, aside), 'utf8')).toContain('"rotations": [ {')
  })
})
