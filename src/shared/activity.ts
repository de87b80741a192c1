import { z } from 'zod'
import { isoDate } from './common'
import { lazySchema } from './lazy-schema'

/**
 * What the activity log records: a key read by the headers helper or the bridge, a config file
 * written or undone, a rotation step, a key revealed or copied, a copy secured or redacted.
 */
export const ACTIVITY_KINDS = [
  'key.read',
  'key.reveal',
  'key.copy',
  'config.write',
  'config.undo',
  'rotation.step',
  'findings.secure',
  'findings.redact'
] as const
export const activityKindSchema = lazySchema(() => z.enum(ACTIVITY_KINDS))
export type ActivityKind = z.infer<typeof activityKindSchema>

/** Which Keywarden program wrote the line. */
export const activityActorSchema = lazySchema(() => z.enum(['window', 'cli', 'helper', 'bridge']))

/** One line of the log: names and fingerprints, never a value. */
export const activityEventSchema = lazySchema(() =>
  z
    .object({
      at: isoDate,
      kind: activityKindSchema,
      by: activityActorSchema,
      pid: z.number().int().nonnegative(),
      key: z
        .object({
          id: z.string().min(1).max(200),
          name: z.string().max(200).optional(),
          /** The vault's fingerprint of the value (hex). */
          fingerprint: z
            .string()
            .regex(/^[0-9a-f]{16,64}$/)
            .optional()
        })
        .strict()
        .optional(),
      /** The MCP client concerned: the one that asked (helper, bridge) or whose file changed. */
      client: z.string().max(100).optional(),
      server: z.string().max(200).optional(),
      file: z.string().max(4096).optional(),
      /** A rotation's id and step, a change's id, a short outcome. */
      detail: z.string().max(500).optional(),
      ok: z.boolean().optional()
    })
    .strict()
)
export type ActivityEvent = z.infer<typeof activityEventSchema>

export const activityFilterSchema = lazySchema(() =>
  z
    .object({
      kind: activityKindSchema.optional(),
      keyId: z.string().max(200).optional(),
      client: z.string().max(100).optional(),
      since: isoDate.optional(),
      limit: z.number().int().min(1).max(5000).optional()
    })
    .strict()
)
export type ActivityFilter = z.infer<typeof activityFilterSchema>
