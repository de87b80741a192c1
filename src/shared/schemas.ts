import { z } from 'zod'

/** ISO-8601 timestamp as produced by `Date.prototype.toISOString`. */
export const isoDate = z.string().datetime({ offset: true })

export const providerKindSchema = z.enum(['sandbox', 'lyceum', 'vibexp', 'lybic', 'lynxo', 'custom'])
export type ProviderKind = z.infer<typeof providerKindSchema>

export const syncStateSchema = z.object({
  lastSyncedAt: isoDate.optional(),
  /** A message a person can act on; absent when the last sync succeeded. */
  error: z.string().optional(),
  /** What kind of failure it was (unreachable, unauthorized, rate-limited, …), for the wording. */
  errorCode: z.string().max(40).optional()
})
export type SyncState = z.infer<typeof syncStateSchema>

/** Plain http is only for services on this machine; anything else must be https. */
export function isSecureServiceUrl(value: string): boolean {
  try {
    const url = new URL(value)
    if (url.protocol === 'https:') return true
    return url.protocol === 'http:' && /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname)
  } catch {
    return false
  }
}
const INSECURE_URL = 'Use an https:// address (plain http only for this machine: localhost or 127.0.0.1).'
/** An address Keywarden sends keys to: https, or http on loopback. */
export const serviceUrlSchema = z.string().url().max(2000).refine(isSecureServiceUrl, INSECURE_URL)

/** Prefixes of the built-in services; a custom provider may not claim (or shadow) their keys. */
export const reservedKeyPrefixes = ['lk_', 'vib_', 'lysk-', 'sbx_'] as const

/** Why a custom key prefix cannot be used, or undefined when it can. */
export function customPrefixProblem(prefix: string): string | undefined {
  const p = prefix.toLowerCase()
  if (p.length < 3) return 'A key prefix needs at least 3 characters, or it would claim keys of other services.'
  const clash = reservedKeyPrefixes.find((r) => p.startsWith(r) || r.startsWith(p))
  return clash ? `The key prefix "${prefix}" overlaps the built-in ${clash} prefix; keys with it belong to that service.` : undefined
}

const keyApiPath = z
  .string()
  .max(200)
  .regex(/^\/[\w\-./{}]*$/, 'Start the path with /.')
const keyApiIdPath = keyApiPath.refine((p) => p.includes('{id}'), 'Put {id} where the key id goes.')

/** Paths of a Lyceum-style key API under baseUrl; each defaults to the Lyceum path. */
export const keyApiPathsSchema = z
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
export type KeyApiPaths = z.infer<typeof keyApiPathsSchema>

/** A service someone describes by hand, as stored: read leniently so an older vault still opens. */
export const storedCustomProviderSpecSchema = z
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

/**
 * A custom service as a person enters or imports it: every address keys are sent to is https (or
 * loopback), the key prefix cannot claim a built-in service's keys, and a key API has a base URL.
 */
export const customProviderSpecSchema = storedCustomProviderSpecSchema.superRefine((spec, ctx) => {
  for (const field of ['baseUrl', 'checkUrl', 'mcpUrl'] as const) {
    const url = spec[field]
    if (url && !isSecureServiceUrl(url)) ctx.addIssue({ code: 'custom', path: [field], message: INSECURE_URL })
  }
  const problem = spec.keyPrefix ? customPrefixProblem(spec.keyPrefix) : undefined
  if (problem) ctx.addIssue({ code: 'custom', path: ['keyPrefix'], message: problem })
  if (spec.keyApi && !spec.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: "A key API needs the service's base URL." })
})
export type CustomProviderSpec = z.infer<typeof storedCustomProviderSpecSchema>

/** A connected service. Credentials for its management API live in the keychain, never here. */
export const providerSchema = z.object({
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
export type Provider = z.infer<typeof providerSchema>

export const keyStatusSchema = z.enum(['active', 'inactive', 'revoked', 'expired'])
export type KeyStatus = z.infer<typeof keyStatusSchema>

/** What the vault knows about a key: metadata only, never the value. */
export const keyMetaSchema = z.object({
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
  addedAt: isoDate
})
export type KeyMeta = z.infer<typeof keyMetaSchema>

export const keyNameSchema = z.string().trim().min(1, 'Give the key a name.').max(200, 'Key names are at most 200 characters.')

export const createKeyInputSchema = z.object({
  providerId: z.string().min(1),
  name: keyNameSchema,
  expiresAt: isoDate.optional()
})
export type CreateKeyInput = z.infer<typeof createKeyInputSchema>

export const clientIdSchema = z.enum(['claude-code', 'cursor', 'vscode', 'vscode-insiders'])
export type ClientId = z.infer<typeof clientIdSchema>

export const placementSchema = z.enum(['helper', 'inline', 'input'])
export type Placement = z.infer<typeof placementSchema>

/** Where a managed key is used: one MCP server entry in one client's config file. */
export const bindingSchema = z.object({
  id: z.string().min(1),
  keyId: z.string().min(1),
  client: clientIdSchema,
  /** user, local, project, global, workspace or profile:<id>, as the client calls it. */
  scope: z.string().min(1).max(200),
  file: z.string().min(1),
  /** For project-bound scopes: the project folder. */
  projectPath: z.string().optional(),
  serverName: z.string().min(1).max(200),
  url: z.string().url(),
  placement: placementSchema,
  createdAt: isoDate
})
export type Binding = z.infer<typeof bindingSchema>

/** What a person can set on a provider, when connecting it or changing it later. */
const providerSettings = {
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
}

export const connectProviderInputSchema = z
  .object({ kind: providerKindSchema.exclude(['sandbox']), ...providerSettings, custom: customProviderSpecSchema.optional() })
  .strict()
export type ConnectProviderInput = z.infer<typeof connectProviderInputSchema>

/** Changing a connected provider; an empty string clears a field, a password or key signs in again. */
export const updateProviderInputSchema = z.object({ providerId: z.string().min(1).max(200), ...providerSettings }).strict()
export type UpdateProviderInput = z.infer<typeof updateProviderInputSchema>

export const importKeyInputSchema = z
  .object({
    value: z.string().trim().min(8, 'That is too short to be an API key.').max(1000),
    /** When absent, the provider is recognised from the key's prefix. */
    providerId: z.string().min(1).optional(),
    name: keyNameSchema,
    scopes: z.array(z.string().trim().min(1).max(100)).max(50).optional()
  })
  .strict()
export type ImportKeyInput = z.infer<typeof importKeyInputSchema>

export const rotationStateSchema = z.enum([
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
export type RotationState = z.infer<typeof rotationStateSchema>

/** A rotation's journal entry: written before each step, never holding a value. */
export const rotationSchema = z.object({
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
export type Rotation = z.infer<typeof rotationSchema>
