import { z } from 'zod'
import { lazySchema } from './lazy-schema'
import { isoDate } from './common'
import { providerKindSchema } from './providers'

export const keyStatusSchema = lazySchema(() => z.enum(['active', 'inactive', 'revoked', 'expired']))
export type KeyStatus = z.infer<typeof keyStatusSchema>

/** What the vault knows about a key: metadata only, never the value. */
export const keyMetaSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1),
    providerId: z.string().min(1),
    /** The service's own id for the key, where its API has one. */
    remoteId: z.string().optional(),
    name: z.string().min(1).max(200),
    /** The first characters of the value, as the service itself shows them. */
    prefix: z.string().max(16),
    /** SHA-256 of the value (hex, first 16 characters); absent for keys whose value we never saw. */
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .optional(),
    createdAt: isoDate,
    expiresAt: isoDate.optional(),
    lastUsedAt: isoDate.optional(),
    requestCount: z.number().int().nonnegative().optional(),
    scopes: z.array(z.string().max(100)).max(100).optional(),
    status: keyStatusSchema,
    /** True when the value is in this machine's keychain; false for keys created elsewhere. */
    inVault: z.boolean(),
    /** Set when the key disappeared from the service's list: it was revoked elsewhere. */
    goneFromService: z.boolean().optional(),
    /** When the value was last checked with the service (dashboard-managed services, during sync). */
    checkedAt: isoDate.optional(),
    /** When the vault first learned of the key (used for age when the service gives no date). */
    addedAt: isoDate,
    /** Set when the name was given in Keywarden (a rename, a rotation's new key): sync keeps it. */
    namedHere: z.boolean().optional(),
    /** The person's own notes and tags; never sent to a service. */
    notes: z.string().max(2000).optional(),
    tags: z.array(z.string().max(40)).max(20).optional()
  })
)
export type KeyMeta = z.infer<typeof keyMetaSchema>

export const keyNameSchema = lazySchema(() =>
  z.string().trim().min(1, 'Give the key a name.').max(200, 'Key names are at most 200 characters.')
)

export const createKeyInputSchema = lazySchema(() =>
  z.object({
    providerId: z.string().min(1),
    name: keyNameSchema,
    // A key made already expired would be dead on arrival, with a date nobody meant.
    expiresAt: isoDate.refine((d) => Date.parse(d) > Date.now(), 'That date has passed: choose an expiry date in the future.').optional()
  })
)
export type CreateKeyInput = z.infer<typeof createKeyInputSchema>

export const importKeyInputSchema = lazySchema(() =>
  z
    .object({
      value: z.string().trim().min(8, 'That is too short to be an API key.').max(1000),
      /** When absent, the provider is recognised from the key's prefix. */
      providerId: z.string().min(1).optional(),
      /**
       * The person picked `providerId` themselves (not filled in from the prefix). Only then is a key
       * whose shape does not fit that service's documented one sent to its check address.
       */
      providerChosen: z.boolean().optional(),
      name: keyNameSchema,
      scopes: z.array(z.string().trim().min(1).max(100)).max(50).optional()
    })
    .strict()
)
export type ImportKeyInput = z.infer<typeof importKeyInputSchema>

/** What one provider's sync came to. */
export const providerSyncResultSchema = lazySchema(() =>
  z.object({
    providerId: z.string(),
    ok: z.boolean(),
    error: z.string().optional(),
    keyCount: z.number(),
    /** What the service said of keys a rotation holds, which the sync left as they were. */
    notes: z.array(z.string().max(500)).optional()
  })
)
export type ProviderSyncResult = z.infer<typeof providerSyncResultSchema>
export const syncResultSchema = lazySchema(() => z.object({ providers: z.array(providerSyncResultSchema) }))

/** The service a pasted value belongs to, by its documented prefix and shape. */
export const recognitionSchema = lazySchema(() =>
  z.object({
    /** Absent when nothing matched. */
    kind: providerKindSchema.optional(),
    label: z.string().optional(),
    /** Connected providers of that kind (a person may have several Lybic organizations). */
    providerIds: z.array(z.string()),
    /** False when the prefix fits but the length or characters do not: offered, never chosen for the person. */
    exact: z.boolean().optional(),
    message: z.string()
  })
)
export type Recognition = z.infer<typeof recognitionSchema>

export const keyTagSchema = lazySchema(() =>
  z.string().trim().min(1, 'A tag needs at least one character.').max(40, 'Tags are at most 40 characters.')
)

/** Renaming a key, or changing its notes or tags, in this vault only. */
export const updateKeyInputSchema = lazySchema(() =>
  z
    .object({
      keyId: z.string().min(1).max(200),
      name: keyNameSchema.optional(),
      notes: z.string().max(2000, 'Notes are at most 2,000 characters.').optional(),
      tags: z.array(keyTagSchema).max(20, 'A key has at most 20 tags.').optional()
    })
    .strict()
)
export type UpdateKeyInput = z.infer<typeof updateKeyInputSchema>

/**
 * "Remove from vault": with `removeEntries`, the clients' entries that use the key go with it. With
 * `bindingIds` (the entries the person was shown), the removal is refused when they are no longer
 * exactly the key's entries, so nothing goes that the person did not see.
 */
export const removeKeyInputSchema = lazySchema(() =>
  z
    .object({
      keyId: z.string().min(1).max(200),
      removeEntries: z.boolean().optional(),
      bindingIds: z.array(z.string().min(1).max(200)).max(10_000).optional()
    })
    .strict()
)
/** What went with the key (each entry as "Client (scope): server"), and the id its undo takes. */
export const removedKeySchema = lazySchema(() => z.object({ ok: z.literal(true), removed: z.array(z.string()), undoId: z.string() }))
export type RemovedKey = z.infer<typeof removedKeySchema>
