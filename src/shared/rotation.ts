import { z } from 'zod'
import { isoDate } from './common'
import { lazySchema } from './lazy-schema'

export const rotationStateSchema = lazySchema(() =>
  z.enum([
    'planned',
    /** The create request may have reached the service; resuming looks for the key by its token. */
    'creating',
    /** Dashboard-managed: waiting for the person to paste the new key. */
    'awaiting-new-key',
    /** The new value is in the keychain. */
    'created',
    'bindings-updated',
    'verified',
    /** Before the revoke: a person must finish what Keywarden cannot (VS Code's encrypted copy, a file it could not write). */
    'awaiting-person',
    /** Dashboard-managed: waiting for the person to revoke the old key in the dashboard. */
    'awaiting-revoke',
    'done',
    /** Tools are being put back on the old key; resuming only finishes the rollback. */
    'rolling-back',
    'rolled-back'
  ])
)
export type RotationState = z.infer<typeof rotationStateSchema>

/** A rotation's journal entry: written before each step, never holding a value. */
export const rotationSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1),
    keyId: z.string().min(1),
    providerId: z.string().min(1),
    mode: z.enum(['api', 'dashboard']),
    state: rotationStateSchema,
    idempotencyToken: z.string().min(8),
    newName: z.string().min(1).max(200),
    newKeyId: z.string().min(1),
    newRemoteId: z.string().optional(),
    bindings: z.array(
      z.object({
        bindingId: z.string(),
        /** forgotten: the entry is gone from its file, so the binding was dropped. */
        status: z.enum(['pending', 'updated', 'restored', 'needs-person', 'forgotten']),
        changeId: z.string().optional(),
        /** What happened to this tool, for the person (never a value). */
        message: z.string().max(500).optional()
      })
    ),
    /** Dashboard-managed: a pasted value is in the keychain under newKeyId but not yet checked. */
    newValueSaved: z.boolean().optional(),
    /** Set when the rollback starts, so an interrupted one finishes the same way. */
    rollback: z
      .object({ cause: z.enum(['verification', 'request']), reason: z.string().max(500), keepNewKey: z.boolean().optional() })
      .optional(),
    /** Set when the step that ran last failed; the rotation can be resumed or rolled back. */
    error: z.string().optional(),
    /** After a rollback: what became of the new key. */
    newKeyOutcome: z.enum(['revoked', 'kept', 'none']).optional(),
    startedAt: isoDate,
    updatedAt: isoDate,
    history: z.array(z.object({ state: rotationStateSchema, at: isoDate, note: z.string().max(500).optional() })).max(100)
  })
)
export type Rotation = z.infer<typeof rotationSchema>

/** A key due for rotation, and why. */
export const dueKeySchema = lazySchema(() =>
  z.object({
    keyId: z.string(),
    reason: z.enum(['age', 'expiry', 'expired']),
    /** Age in days for 'age'; days left for 'expiry'. */
    days: z.number(),
    message: z.string()
  })
)
export type DueKey = z.infer<typeof dueKeySchema>
