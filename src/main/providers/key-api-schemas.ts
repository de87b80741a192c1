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
