import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openMetadataStore } from '../../../src/main/vault/metadata-store'
import { tempFolder } from '../../support/temp-folder'

const tempDir = () => tempFolder('kw-meta-')

const provider = { id: 'sandbox', kind: 'sandbox', name: 'Local sandbox', createdAt: '2026-11-01T10:00:00.000Z', sync: {} } as const

describe('metadata store', () => {
  it('starts empty and keeps what was written across reopen, owner-only', async () => {
    const dir = await tempDir()
    const store = await openMetadataStore(dir)
    expect(store.read().keys).toEqual([])
    await store.update((d) => {
      d.providers.push({ ...provider })
    })
    const again = await openMetadataStore(dir)
    expect(again.read().providers.map((p) => p.id)).toEqual(['sandbox'])
    expect((await stat(store.file)).mode & 0o777).toBe(0o600)
  })

  it('moves a corrupted file aside with a clear error instead of replacing it', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'vault.json'), '{"version": 1, "keys": [ {"id": ', 'utf8')
    const store = await openMetadataStore(dir, () => new Date('2026-11-22T12:00:00.000Z'))
    expect(store.loadError?.code).toBe('metadata-corrupt')
    expect(store.loadError?.message).toContain('not valid JSON')
    expect(store.loadError?.message).toContain('vault.json.corrupt-2026-11-22T12-00-00-000Z')
    const files = await readdir(dir)
    expect(files).toContain('vault.json.corrupt-2026-11-22T12-00-00-000Z')
    expect(await readFile(join(dir, 'vault.json.corrupt-2026-11-22T12-00-00-000Z'), 'utf8')).toBe('{"version": 1, "keys": [ {"id": ')
    expect(store.read().keys).toEqual([])
  })

  it('treats valid JSON with the wrong shape as corrupt too', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'vault.json'), JSON.stringify({ version: 1, keys: [{ id: 1 }] }), 'utf8')
    const store = await openMetadataStore(dir)
    expect(store.loadError?.message).toMatch(/unexpected content at keys\.0/)
  })

  it('applies concurrent updates one after another without losing any', async () => {
    const dir = await tempDir()
    const store = await openMetadataStore(dir)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((d) => {
          d.providers.push({ ...provider, id: `p${i}` })
        })
      )
    )
    const reopened = await openMetadataStore(dir)
    expect(reopened.read().providers).toHaveLength(20)
  })

  it('refuses an update that would write invalid data, leaving the file as it was', async () => {
    const dir = await tempDir()
    const store = await openMetadataStore(dir)
    await store.update((d) => {
      d.providers.push({ ...provider })
    })
    const before = await readFile(store.file, 'utf8')
    await expect(
      store.update((d) => {
        ;(d.providers[0] as { name: string }).name = ''
      })
    ).rejects.toThrow()
    expect(await readFile(store.file, 'utf8')).toBe(before)
    expect(store.read().providers[0]?.name).toBe('Local sandbox')
  })
})

describe('sealed vault file', () => {
  it('checks in full a file whose sealed content was edited by hand, and moves it aside when it is wrong', async () => {
    const dir = await tempDir()
    const store = await openMetadataStore(dir)
    await store.update((d) => {
      d.providers.push({ ...provider })
    })
    const text = await readFile(store.file, 'utf8')
    expect(text).toMatch(/"sealed": "[0-9a-f]{64}"\n}\n$/)
    expect((await openMetadataStore(dir)).read().providers.map((p) => p.id)).toEqual(['sandbox'])
    // The seal stays, the content changes: it no longer matches, so the schema decides.
    await writeFile(store.file, text.replace('"Local sandbox"', '""'))
    const reopened = await openMetadataStore(dir)
    expect(reopened.loadError?.message).toMatch(/unexpected content at providers\.0\.name/)
    expect(reopened.read().providers).toEqual([])
  })
})

describe('the schema a seal vouches for', () => {
  it("is renamed whenever vault.json's schema changes, so files sealed under the old one are checked in full", async () => {
    const { createHash } = await import('node:crypto')
    const { z } = await import('zod')
    const { vaultDataSchema, VAULT_SCHEMA_REVISION } = await import('../../../src/main/vault/metadata-store')
    const shape = createHash('sha256')
      .update(JSON.stringify(z.toJSONSchema(vaultDataSchema, { io: 'input' })))
      .digest('hex')
      .slice(0, 16)
    // When this fails: change VAULT_SCHEMA_REVISION in metadata-store.ts, then record the new pair here.
    expect({ revision: VAULT_SCHEMA_REVISION, shape }).toEqual({ revision: 'vault-3', shape: '15d2599b516739b8' })
  })
})
