import { rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { bindingSchema, keyMetaSchema, providerSchema } from '../../shared/schemas'
import { preferencesSchema } from '../../shared/settings'
import { KeywardenError } from '../../shared/errors'
import { issueWords } from '../../shared/input-errors'
import { lazySchema } from '../../shared/lazy-schema'
import { openSharedFile, readVersioned } from './shared-file'
import { sealJson, unsealJson } from './sealed-json'

export const vaultDataSchema = lazySchema(() =>
  z.object({
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
)
export type VaultData = z.infer<typeof vaultDataSchema>

const providersSchema = lazySchema(() => z.array(providerSchema))

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
  let data: VaultData | undefined
  let loadError: KeywardenError | undefined

  const { bytes, version } = readVersioned(file)
  let text: string | undefined
  if (bytes) {
    text = bytes.toString('utf8')
    const parsed = parseVault(text, bytes)
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
    initial: data ?? emptyVault(),
    initialText: text,
    initialVersion: version,
    parse: (content) => {
      const parsed = parseVault(content)
      if (!parsed.ok)
        throw new KeywardenError(
          'metadata-corrupt',
          `Keywarden's list of keys (${file}) was edited elsewhere and cannot be read: ${parsed.reason}. Keywarden did not overwrite it.`
        )
      return parsed.data
    },
    serialize: seal
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

/**
 * Names the schema a seal of vault.json vouches for (see sealed-json.ts). Change it with any change to
 * `vaultDataSchema` (a field, a default, a check): older seals then no longer match, and their files
 * are checked in full. A test (test/main/vault/metadata-store.test.ts) fails when the schema changes
 * and this does not.
 */
export const VAULT_SCHEMA_REVISION = 'vault-3'

const seal = (value: VaultData) => sealJson(value, VAULT_SCHEMA_REVISION)

/**
 * Reads the vault's text; `bytes`, when the caller has them, are the same content as read from
 * disk. A file Keywarden wrote and sealed is taken as it is; any other is checked field by field.
 */
function parseVault(text: string, bytes?: Buffer): { ok: true; data: VaultData } | { ok: false; reason: string } {
  const sealed = unsealJson(text, VAULT_SCHEMA_REVISION, bytes)
  if (sealed) return { ok: true, data: sealed as VaultData }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${(error as Error).message})` }
  }
  const result = vaultDataSchema.safeParse(json, { error: issueWords })
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.map((p) => String(p).slice(0, 40)).join('.') || 'top level'
    return { ok: false, reason: `unexpected content at ${where}: ${issue?.message ?? 'not valid'}` }
  }
  return { ok: true, data: result.data }
}
