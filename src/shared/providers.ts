import { z } from 'zod'
import { INSECURE_URL, isSecureServiceUrl, isoDate, serviceUrlSchema } from './common'
import { providerCatalog } from './provider-catalog'
import { lazySchema } from './lazy-schema'

export const providerKindSchema = lazySchema(() => z.enum(['sandbox', 'lyceum', 'vibexp', 'lybic', 'lynxo', 'custom']))
export type ProviderKind = z.infer<typeof providerKindSchema>

export const syncStateSchema = lazySchema(() =>
  z.object({
    lastSyncedAt: isoDate.optional(),
    /** A message a person can act on; absent when the last sync succeeded. */
    error: z.string().optional(),
    /** What kind of failure it was (unreachable, unauthorized, rate-limited, …), for the wording. */
    errorCode: z.string().max(40).optional()
  })
)
export type SyncState = z.infer<typeof syncStateSchema>

/** A setting the connect screen asks for. */
export const providerFieldSchema = lazySchema(() => z.enum(['baseUrl', 'mcpUrl', 'orgId', 'email', 'password', 'apiKey', 'dashboardUrl']))

/** What the window is told about a kind of service: the catalog's entry, without its patterns and paths. */
export const providerKindInfoSchema = lazySchema(() =>
  z.object({
    kind: providerKindSchema,
    label: z.string(),
    /** How keys are created and revoked: by API, or by a person in the dashboard. */
    management: z.enum(['api', 'dashboard']),
    keyPrefix: z.string().optional(),
    /** Fields the connect screen asks for. */
    fields: z.array(providerFieldSchema),
    dashboardUrl: z.string().optional(),
    defaultBaseUrl: z.string().optional(),
    defaultMcpUrl: z.string().optional(),
    /** Limits worth warning about before they are hit. */
    maxActiveKeys: z.number().optional(),
    scopes: z.array(z.string()).optional()
  })
)
export type ProviderKindInfo = z.infer<typeof providerKindInfoSchema>

/** Prefixes of the built-in services, from the catalog; a custom provider may not claim (or shadow) their keys. */
export const reservedKeyPrefixes: readonly string[] = Object.values(providerCatalog).flatMap((p) => (p.keyPrefix ? [p.keyPrefix] : []))

/** Why a custom key prefix cannot be used, or undefined when it can. */
export function customPrefixProblem(prefix: string): string | undefined {
  const p = prefix.toLowerCase()
  if (p.length < 3) return 'A key prefix needs at least 3 characters, or it would claim keys of other services.'
  const clash = reservedKeyPrefixes.find((r) => p.startsWith(r) || r.startsWith(p))
  return clash ? `The key prefix "${prefix}" overlaps the built-in ${clash} prefix; keys with it belong to that service.` : undefined
}

const keyApiPath = lazySchema(() =>
  z
    .string()
    .max(200)
    .regex(/^\/[\w\-./{}]*$/, 'Start the path with /.')
)
const keyApiIdPath = lazySchema(() => keyApiPath.refine((p) => p.includes('{id}'), 'Put {id} where the key id goes.'))

/** Paths of a Lyceum-style key API under baseUrl; each defaults to the Lyceum path. */
export const keyApiPathsSchema = lazySchema(() =>
  z
    .object({
      basePath: keyApiPath.default('/'),
      list: keyApiPath.optional(),
      create: keyApiPath.optional(),
      revoke: keyApiIdPath.optional(),
      toggle: keyApiIdPath.optional(),
      validate: keyApiPath.optional(),
      login: keyApiPath.optional(),
      refresh: keyApiPath.optional()
    })
    .strict()
)
export type KeyApiPaths = z.infer<typeof keyApiPathsSchema>

/** A service someone describes by hand, as stored: read leniently so an older vault still opens. */
export const storedCustomProviderSpecSchema = lazySchema(() =>
  z
    .object({
      name: z.string().trim().min(1).max(100),
      baseUrl: z
        .string()
        .url()
        .refine((u) => /^https?:/.test(u), 'Use an http(s) address.')
        .optional(),
      header: z.object({
        name: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9-]+$/, 'A header name has letters, digits and dashes only.'),
        scheme: z.enum(['Bearer', 'none']).default('Bearer')
      }),
      keyPrefix: z.string().trim().max(20).optional(),
      checkUrl: z.string().url().optional(),
      mcpUrl: z.string().url().optional(),
      dashboardUrl: z
        .string()
        .url()
        .refine((u) => u.startsWith('https:'), 'Dashboard links must be https.')
        .optional(),
      keyApi: keyApiPathsSchema.optional()
    })
    .strict()
)

/**
 * A custom service as a person enters or imports it: every address keys are sent to is https (or
 * loopback), the key prefix cannot claim a built-in service's keys, and a key API has a base URL.
 */
export const customProviderSpecSchema = lazySchema(() =>
  storedCustomProviderSpecSchema.superRefine((spec, ctx) => {
    for (const field of ['baseUrl', 'checkUrl', 'mcpUrl'] as const) {
      const url = spec[field]
      if (url && !isSecureServiceUrl(url)) ctx.addIssue({ code: 'custom', path: [field], message: INSECURE_URL })
    }
    const problem = spec.keyPrefix ? customPrefixProblem(spec.keyPrefix) : undefined
    if (problem) ctx.addIssue({ code: 'custom', path: ['keyPrefix'], message: problem })
    if (spec.keyApi && !spec.baseUrl)
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: "A key API needs the service's base URL." })
  })
)
export type CustomProviderSpec = z.infer<typeof storedCustomProviderSpecSchema>

/** A connected service. Credentials for its management API live in the keychain, never here. */
export const providerSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1),
    kind: providerKindSchema,
    name: z.string().min(1).max(100),
    baseUrl: z.string().url().optional(),
    mcpUrl: z.string().url().optional(),
    /** Lybic: keys belong to one organization. */
    orgId: z.string().max(200).optional(),
    /** Email used to sign in to an API-managed service (Lyceum, sandbox). */
    email: z.string().max(320).optional(),
    dashboardUrl: z.string().url().optional(),
    custom: storedCustomProviderSpecSchema.optional(),
    /** Days after which a key of this provider is due for rotation (default from settings). */
    rotationDays: z.number().int().min(1).max(3650).optional(),
    createdAt: isoDate,
    sync: syncStateSchema.default({})
  })
)
export type Provider = z.infer<typeof providerSchema>

/** What a person can set on a provider, when connecting it or changing it later (built with the schemas that use it). */
const providerSettings = () => ({
  name: z.string().trim().max(100).optional(),
  baseUrl: serviceUrlSchema.optional().or(z.literal('')),
  mcpUrl: serviceUrlSchema.optional().or(z.literal('')),
  orgId: z.string().trim().max(200).optional(),
  email: z.string().trim().max(320).optional(),
  /** Goes straight to the keychain. */
  password: z.string().max(1000).optional(),
  /** An existing key used as the bearer for the management API (Lyceum allows this). */
  apiKey: z.string().max(1000).optional(),
  dashboardUrl: z
    .string()
    .url()
    .refine((u) => u.startsWith('https:'), 'Dashboard links must be https.')
    .optional()
    .or(z.literal(''))
})

export const connectProviderInputSchema = lazySchema(() =>
  z.object({ kind: providerKindSchema.exclude(['sandbox']), ...providerSettings(), custom: customProviderSpecSchema.optional() }).strict()
)
export type ConnectProviderInput = z.infer<typeof connectProviderInputSchema>

/** Changing a connected provider; an empty string clears a field, a password or key signs in again. */
export const updateProviderInputSchema = lazySchema(() =>
  z.object({ providerId: z.string().min(1).max(200), ...providerSettings() }).strict()
)
export type UpdateProviderInput = z.infer<typeof updateProviderInputSchema>
