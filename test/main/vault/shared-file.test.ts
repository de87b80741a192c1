import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openMetadataStore } from '../../../src/main/vault/metadata-store'
import { openJournal } from '../../../src/main/rotation/journal'
import { rotationSchema, type KeyMeta } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

const key = (id: string): KeyMeta => ({
  id,
  providerId: 'sandbox',
  name: id,
  prefix: 'sbx_abcd',
  createdAt: '2026-11-01T10:00:00.000Z',
  status: 'active',
  inVault: true,
  addedAt: '2026-11-01T10:00:00.000Z'
})

describe('vault files shared by the window and the command line', () => {
  it('keeps every change when two processes write the vault in turn and at once', async () => {
    const dir = await tempFolder('kw-shared-')
    const windowStore = await openMetadataStore(dir)
    const cliStore = await openMetadataStore(dir)
    await windowStore.update((d) => void d.keys.push(key('from-window')))
    // The command line's copy predates that write; its change must build on it, not replace it.
    await cliStore.update((d) => void d.keys.push(key('from-cli')))
    expect(windowStore.read().keys.map((k) => k.id)).toEqual(['from-window', 'from-cli'])

    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? windowStore : cliStore).update((d) => void d.keys.push(key(`k${i}`)))))
    const onDisk = JSON.parse(await readFile(join(dir, 'vault.json'), 'utf8')) as { keys: KeyMeta[] }
    expect(onDisk.keys).toHaveLength(14)
    expect(new Set(windowStore.read().keys.map((k) => k.id))).toEqual(new Set(cliStore.read().keys.map((k) => k.id)))
  })

  it('shows a change another process wrote after this one opened the vault, on its first read', async () => {
    const dir = await tempFolder('kw-shared-')
    await (await openMetadataStore(dir)).update((d) => void d.keys.push(key('first')))
    const reader = await openMetadataStore(dir)
    await (await openMetadataStore(dir)).update((d) => void d.keys.push(key('second')))
    expect(reader.read().keys.map((k) => k.id)).toEqual(['first', 'second'])
  })

  it('refuses to overwrite a vault another program left unreadable, and keeps showing the last good list', async () => {
    const dir = await tempFolder('kw-shared-')
    const store = await openMetadataStore(dir)
    await store.update((d) => void d.keys.push(key('kept')))
    await writeFile(join(dir, 'vault.tmp'), '{"version": 1, "keys": [')
    await rename(join(dir, 'vault.tmp'), join(dir, 'vault.json'))
    expect(store.read().keys.map((k) => k.id)).toEqual(['kept'])
    await expect(store.update((d) => void d.keys.push(key('lost')))).rejects.toMatchObject({ code: 'metadata-corrupt' })
    expect(await readFile(join(dir, 'vault.json'), 'utf8')).toBe('{"version": 1, "keys": [')
  })

  it('shows a rotation journaled by the command line in the window without a restart', async () => {
    const dir = await tempFolder('kw-shared-')
    const windowJournal = await openJournal(dir)
    const cliJournal = await openJournal(dir)
    const rotation = rotationSchema.parse({
      id: 'r1',
      keyId: 'k1',
      providerId: 'sandbox',
      mode: 'api',
      state: 'planned',
      idempotencyToken: 'token-123456',
      newName: 'k1 · rotated',
      newKeyId: 'k2',
      bindings: [],
      history: [],
      startedAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z'
    })
    await cliJournal.save(rotation)
    expect(windowJournal.list().map((r) => r.id)).toEqual(['r1'])
    await windowJournal.save({ ...windowJournal.get('r1'), state: 'creating' })
    expect(cliJournal.get('r1').state).toBe('creating')
  })
})
