import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { bindingSchema, keyMetaSchema, providerSchema } from '../../shared/schemas'
import { preferencesSchema } from '../../shared/settings'
import { KeywardenError } from '../../shared/errors'
import { openSharedFile } from './shared-file'

export const vaultDataSchema = z.object({
  version: z.literal(1),
  providers: z.array(providerSchema).default([]),
  keys: z.array(keyMetaSchema).default([]),
  bindings: z.array(bindingSchema).default([]),
  settings: z
    .object({
      sandboxPort: z.number().int().min(1).max(65535).optional(),
      rotationDays: z.number().int().min(1).max(3650).default(90),
      lastReminderAt: z.string().optional(),
      // The rest of the Settings page; absent means the default.
      ...preferencesSchema.omit({ rotationDays: true }).partial().shape
    })
    .default({ rotationDays: 90 })
})
export type VaultData = z.infer<typeof vaultDataSchema>

const providersSchema = z.array(providerSchema)

const emptyVault = (): VaultData => vaultDataSchema.parse({ version: 1 })

export interface MetadataStore {
  /** The current data; cheap, never touches the keychain. */
  read(): VaultData
  /**
   * Applies a change and writes the file atomically; changes are applied one at a time, under a
   * lock shared with the command line, to the newest content on disk.
   */
  update<T>(change: (data: VaultData) => T): Promise<T>
  /**
   * Applies a change in memory only; it reaches the disk with the next `update`. For bookkeeping
   * that is cheap to lose (when a provider was last synced), so a sync that changed nothing does
   * not rewrite the whole file.
   */
  touch(change: (data: VaultData) => void): void
  /** Set when the file on disk could not be read at start and was moved aside. */
  readonly loadError?: KeywardenError
  readonly file: string
}

/**
 * Opens `vault.json` in the data folder. A file that cannot be read is never overwritten: it is
 * renamed aside and the store starts empty, with `loadError` saying where the old file went.
 */
export async function openMetadataStore(dataDir: string, now: () => Date = () => new Date()): Promise<MetadataStore> {
  const file = join(dataDir, 'vault.json')
  let data = emptyVault()
  let loadError: KeywardenError | undefined

  let text: string | undefined
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (text !== undefined) {
    const parsed = parseVault(text)
    if (parsed.ok) {
      data = parsed.data
    } else {
      text = undefined
      const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`
      await rename(file, aside)
      loadError = new KeywardenError(
        'metadata-corrupt',
        `Keywarden's list of keys (${file}) could not be read: ${parsed.reason}. It was moved to ${aside} ` +
          'and Keywarden started with an empty list. Key values in your keychain are untouched; sync your ' +
          'providers to list their keys again.'
      )
    }
  }

  const shared = openSharedFile<VaultData>({
    file,
    initial: data,
    initialText: text,
    parse: (content) => {
      const parsed = parseVault(content)
      if (!parsed.ok)
        throw new KeywardenError(
          'metadata-corrupt',
          `Keywarden's list of keys (${file}) was changed by another program and cannot be read: ${parsed.reason}. Keywarden did not overwrite it.`
        )
      return parsed.data
    },
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`
  })
  return {
    file,
    loadError,
    read: () => shared.read(),
    touch(change) {
      const data = shared.read()
      const draft = { ...data, providers: data.providers.map((p) => ({ ...p, sync: { ...p.sync } })) }
      change(draft)
      // Only provider bookkeeping changes here; checking just that part keeps this cheap.
      shared.setInMemory({ ...draft, providers: providersSchema.parse(draft.providers) })
    },
    update<T>(change: (d: VaultData) => T): Promise<T> {
      return shared.update((current) => {
        const draft = structuredClone(current)
        const result = change(draft)
        return { next: vaultDataSchema.parse(draft), result }
      })
    }
  }
}

function parseVault(text: string): { ok: true; data: VaultData } | { ok: false; reason: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${(error as Error).message})` }
  }
  const result = vaultDataSchema.safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]
    return { ok: false, reason: `unexpected content at ${issue?.path.join('.') || 'top level'}: ${issue?.message}` }
  }
  return { ok: true, data: result.data }
}
