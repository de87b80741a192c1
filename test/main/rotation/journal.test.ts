import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { openApp } from '../../../src/main/app/open-app'
import { openJournal } from '../../../src/main/rotation/journal'
import type { Rotation } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

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

const at = '2026-11-20T10:00:00.000Z'
const rotation = (id: string): Rotation => ({
  id,
  keyId: 'key-old',
  providerId: 'sandbox',
  mode: 'api',
  state: 'done',
  idempotencyToken: 'token-0001',
  newName: 'acme · rotated',
  newKeyId: 'key-new',
  bindings: [],
  startedAt: at,
  updatedAt: at,
  history: [{ state: 'done', at }]
})

describe('sealed rotation journal', () => {
  it('reads back what it wrote, and checks in full a sealed journal edited by hand, moving it aside when it is wrong', async () => {
    const dir = await tempFolder('kw-journal-')
    const journal = await openJournal(dir)
    await journal.save(rotation('rotation-1'))
    const file = join(dir, 'rotations.json')
    const text = await readFile(file, 'utf8')
    expect(text).toMatch(/"sealed": "[0-9a-f]{64}"\n}\n$/)
    expect((await openJournal(dir)).list()).toEqual([rotation('rotation-1')])
    // The seal stays, the content changes: it no longer matches, so the schema decides.
    await writeFile(file, text.replace('"api"', '"telepathy"'))
    const reopened = await openJournal(dir)
    expect(reopened.loadError?.message).toMatch(/rotation journal .* could not be read: unexpected content/)
    expect(reopened.list()).toEqual([])
    expect((await readdir(dir)).some((f) => f.startsWith('rotations.json.corrupt-'))).toBe(true)
  })

  it('reads a journal written before journals were sealed, checking it in full', async () => {
    const dir = await tempFolder('kw-journal-')
    await writeFile(join(dir, 'rotations.json'), `${JSON.stringify({ version: 1, rotations: [rotation('rotation-1')] }, null, 2)}\n`)
    const journal = await openJournal(dir)
    expect(journal.loadError).toBeUndefined()
    expect(journal.list()).toEqual([rotation('rotation-1')])
    await writeFile(
      join(dir, 'rotations.json'),
      JSON.stringify({ version: 1, rotations: [{ ...rotation('rotation-2'), state: 'dreaming' }] })
    )
    expect((await openJournal(dir)).loadError?.message).toMatch(/unexpected content/)
  })

  it("is renamed whenever the journal's schema changes, so journals sealed under the old one are checked in full", async () => {
    const { createHash } = await import('node:crypto')
    const { z } = await import('zod')
    const { rotationSchema } = await import('../../../src/shared/schemas')
    const { JOURNAL_SCHEMA_REVISION } = await import('../../../src/main/rotation/journal')
    const shape = createHash('sha256')
      .update(JSON.stringify(z.toJSONSchema(rotationSchema, { io: 'input' })))
      .digest('hex')
      .slice(0, 16)
    // When this fails: change JOURNAL_SCHEMA_REVISION in journal.ts, then record the new pair here.
    expect({ revision: JOURNAL_SCHEMA_REVISION, shape }).toEqual({ revision: 'journal-1', shape: 'd8156aa43fb52b2d' })
  })
})

describe('rotation history', () => {
  it('lists unfinished rotations first and the newest first within each, and follows each save', async () => {
    const dir = await tempFolder('kw-journal-')
    const journal = await openJournal(dir)
    const started = (id: string, day: number, state: Rotation['state']) => ({
      ...rotation(id),
      state,
      startedAt: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`
    })
    await journal.save(started('old-done', 1, 'done'))
    await journal.save(started('new-done', 20, 'done'))
    await journal.save(started('old-open', 2, 'created'))
    expect(journal.history().map((r) => r.id)).toEqual(['old-open', 'new-done', 'old-done'])
    await journal.save(started('new-open', 21, 'creating'))
    expect(journal.history().map((r) => r.id)).toEqual(['new-open', 'old-open', 'new-done', 'old-done'])
  })
})
