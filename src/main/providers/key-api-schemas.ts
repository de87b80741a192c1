import { z } from 'zod'

// Wire format of the Lyceum-style key API. Lyceum documents the paths and what each answer holds
// but not every field name; they are kept here, in one place, so they are easy to correct.

export const wireKeySchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().max(500),
  // Cut to 8 characters before it is kept; a longer one is accepted only to be cut.
  prefix: z.string().max(1000),
  created_at: z.string(),
  expires_at: z.string().nullish(),
  is_active: z.boolean(),
  last_used_at: z.string().nullish(),
  request_count: z.number().int().nonnegative().nullish()
})
export type WireKey = z.infer<typeof wireKeySchema>

export const wireKeyListSchema = z.array(wireKeySchema).max(100_000)

export const wireCreatedKeySchema = wireKeySchema.extend({ api_key: z.string().min(8).max(1000) })

export const wireTokenSchema = z.object({
  access_token: z.string().min(10),
  refresh_token: z.string().min(10).optional(),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional()
})

export const wireValidationSchema = z.object({
  valid: z.boolean().optional(),
  user_id: z.union([z.string(), z.number()]).nullish(),
  email: z.string().nullish(),
  key_name: z.string().nullish(),
  created_at: z.string().nullish(),
  expires_at: z.string().nullish()
})

const isDate = (v: unknown) => v === undefined || v === null || typeof v === 'string'

/**
 * The key list checked field by field, as `wireKeyListSchema` would, without building zod's result
 * for each of possibly 100,000 records. Returns undefined when anything is off; the caller then runs
 * the schema itself to name the field.
 */
export function quickKeyList(body: unknown): WireKey[] | undefined {
  if (!Array.isArray(body) || body.length > 100_000) return undefined
  const out: WireKey[] = new Array(body.length)
  for (let i = 0; i < body.length; i++) {
    const w = body[i] as Record<string, unknown> | null
    if (typeof w !== 'object' || w === null) return undefined
    const { id, name, prefix, created_at, expires_at, is_active, last_used_at, request_count } = w
    if (typeof id !== 'string' && typeof id !== 'number') return undefined
    if (typeof name !== 'string' || name.length > 500 || typeof prefix !== 'string' || prefix.length > 1000) return undefined
    if (typeof created_at !== 'string' || typeof is_active !== 'boolean' || !isDate(expires_at) || !isDate(last_used_at)) return undefined
    if (
      request_count !== undefined &&
      request_count !== null &&
      !(typeof request_count === 'number' && Number.isInteger(request_count) && request_count >= 0)
    )
      return undefined
    out[i] = {
      id: String(id),
      name,
      prefix,
      created_at,
      expires_at: expires_at as string | null | undefined,
      is_active,
      last_used_at: last_used_at as string | null | undefined,
      request_count: request_count as number | null | undefined
    }
  }
  return out
}
