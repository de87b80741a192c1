import { z } from 'zod'
import { channelOf, EVENT_CHANNEL, eventTypes, methodNames, progressFields, type MethodName } from './methods'
import {
  connectProviderInputSchema,
  createKeyInputSchema,
  importKeyInputSchema,
  keyMetaSchema,
  providerKindSchema,
  providerSchema,
  rotationSchema,
  bindingSchema,
  clientIdSchema,
  placementSchema,
  rotationStateSchema,
  storedCustomProviderSpecSchema,
  updateProviderInputSchema,
  settingsSchema,
  settingsUpdateSchema,
  updateKeyInputSchema
} from './schemas'

const none = z.object({}).strict()
const keyRef = z.object({ keyId: z.string().min(1).max(200) }).strict()
const ok = z.object({ ok: z.literal(true) })

export const appStatusSchema = z.object({
  version: z.string(),
  keychain: z.object({
    available: z.boolean(),
    /** When unavailable: what happened and what to install. */
    message: z.string().optional()
  }),
  sandbox: z.object({ running: z.boolean(), url: z.string().optional(), error: z.string().optional() }),
  /** Set when the vault's metadata file could not be read at start and was moved aside. */
  metadataError: z.string().optional()
})
export type AppStatus = z.infer<typeof appStatusSchema>

const providerRef = z.object({ providerId: z.string().min(1).max(200) }).strict()

export const providerKindInfoSchema = z.object({
  kind: providerKindSchema,
  label: z.string(),
  management: z.enum(['api', 'dashboard']),
  keyPrefix: z.string().optional(),
  fields: z.array(z.string()),
  dashboardUrl: z.string().optional(),
  defaultBaseUrl: z.string().optional(),
  defaultMcpUrl: z.string().optional(),
  maxActiveKeys: z.number().optional(),
  scopes: z.array(z.string()).optional()
})
export type ProviderKindInfo = z.infer<typeof providerKindInfoSchema>

const rotationRef = z.object({ rotationId: z.string().min(1).max(200) }).strict()

export const dueKeySchema = z.object({
  keyId: z.string(),
  reason: z.enum(['age', 'expiry', 'expired']),
  days: z.number(),
  message: z.string()
})

const injectInputSchema = z
  .object({
    keyId: z.string().min(1).max(200),
    client: clientIdSchema,
    scope: z.string().min(1).max(200),
    projectPath: z.string().min(1).max(4096).optional(),
    placement: placementSchema.optional(),
    serverName: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,80}$/, 'Server names use letters, digits, dot, dash and underscore (at most 80).')
      .optional()
  })
  .strict()

export const toolServerSchema = z.object({
  client: clientIdSchema,
  scope: z.string(),
  label: z.string(),
  file: z.string(),
  projectPath: z.string().optional(),
  serverName: z.string(),
  url: z.string().optional(),
  placement: z.enum(['helper', 'inline', 'input', 'env', 'other']),
  prefix: z.string().optional(),
  knownKind: z.string().optional(),
  bindingId: z.string().optional(),
  keyId: z.string().optional(),
  adoptable: z.boolean(),
  unmanaged: z.boolean(),
  plaintext: z.boolean()
})

export const changeRecordSchema = z.object({ id: z.string(), file: z.string(), at: z.string(), summary: z.string(), undone: z.boolean() })

export const syncResultSchema = z.object({
  providers: z.array(z.object({ providerId: z.string(), ok: z.boolean(), error: z.string().optional(), keyCount: z.number() }))
})

/**
 * The IPC contract: every method the renderer may call, with the schema its input is parsed by in
 * the main process and the schema its output is cut to before it leaves. The preload, the
 * renderer's client and the main-process binding are all derived from this table.
 */
export const contract = {
  'app.status': { input: none, output: appStatusSchema },
  'app.openExternal': { input: z.object({ url: z.string().max(2000) }).strict(), output: ok },
  'providers.list': { input: none, output: z.array(providerSchema) },
  'providers.catalog': { input: none, output: z.array(providerKindInfoSchema) },
  'providers.test': { input: connectProviderInputSchema, output: z.object({ ok: z.boolean(), message: z.string() }) },
  'providers.connect': { input: connectProviderInputSchema, output: providerSchema },
  'providers.remove': { input: providerRef, output: ok },
  'providers.update': { input: updateProviderInputSchema, output: providerSchema },
  'providers.exportCustom': { input: providerRef, output: z.object({ json: z.string() }) },
  'providers.importCustom': {
    // Credentials go straight to the keychain; they are never part of the shared description.
    input: z
      .object({
        json: z.string().max(100_000),
        email: z.string().trim().max(320).optional(),
        password: z.string().max(1000).optional(),
        apiKey: z.string().max(1000).optional()
      })
      .strict(),
    output: providerSchema
  },
  /** Reads a shared description without connecting it, so the window can show where keys would go. */
  'providers.parseCustom': { input: z.object({ json: z.string().max(100_000) }).strict(), output: storedCustomProviderSpecSchema },
  'keys.recognise': {
    input: z.object({ value: z.string().max(1000) }).strict(),
    output: z.object({
      kind: providerKindSchema.optional(),
      label: z.string().optional(),
      providerIds: z.array(z.string()),
      exact: z.boolean().optional(),
      message: z.string()
    })
  },
  'keys.import': { input: importKeyInputSchema, output: z.object({ key: keyMetaSchema, warnings: z.array(z.string()) }) },
  'keys.list': { input: none, output: z.array(keyMetaSchema) },
  'keys.sync': {
    input: z.object({ providerId: z.string().min(1).optional() }).strict(),
    output: syncResultSchema
  },
  'keys.create': {
    input: createKeyInputSchema.strict(),
    // The only response that carries a value without a reveal: the service shows it just once.
    output: z.object({ key: keyMetaSchema, secret: z.string() })
  },
  'keys.revoke': { input: keyRef, output: keyMetaSchema },
  'keys.setActive': {
    input: z.object({ keyId: z.string().min(1).max(200), active: z.boolean() }).strict(),
    output: keyMetaSchema
  },
  'keys.validate': {
    input: keyRef,
    output: z.object({ valid: z.boolean(), message: z.string() })
  },
  'keys.due': { input: none, output: z.array(dueKeySchema) },
  'rotations.list': { input: none, output: z.array(rotationSchema) },
  'rotations.plan': { input: keyRef, output: rotationSchema },
  'rotations.start': { input: keyRef, output: rotationSchema },
  'rotations.resume': { input: rotationRef, output: rotationSchema },
  'rotations.rollback': {
    input: z.object({ rotationId: z.string().min(1).max(200), keepNewKey: z.boolean().optional() }).strict(),
    output: rotationSchema
  },
  'rotations.provideNewKey': {
    input: z.object({ rotationId: z.string().min(1).max(200), value: z.string().trim().min(8).max(1000) }).strict(),
    output: rotationSchema
  },
  'rotations.confirmRevoked': { input: rotationRef, output: rotationSchema },
  /** The person re-entered the new key where Keywarden cannot (VS Code's encrypted copy). */
  'rotations.confirmEntered': { input: rotationRef, output: rotationSchema },
  'clients.scan': {
    input: z.object({ projectPaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).strict(),
    output: z.object({
      servers: z.array(toolServerSchema),
      present: z.array(
        z.object({ client: clientIdSchema, scope: z.string(), label: z.string(), file: z.string(), projectPath: z.string().optional() })
      ),
      problems: z.array(z.object({ file: z.string(), message: z.string() }))
    })
  },
  /** Every MCP client Keywarden writes to: names, scopes, placements and whether it is installed here. */
  'clients.list': {
    input: none,
    output: z.array(
      z.object({
        client: clientIdSchema,
        label: z.string(),
        installed: z.boolean(),
        evidence: z.string(),
        scopes: z.array(z.object({ id: z.string(), label: z.string(), project: z.boolean() })),
        placements: z.array(z.object({ id: placementSchema, label: z.string() })),
        afterWrite: z.string()
      })
    )
  },
  'bindings.list': { input: none, output: z.array(bindingSchema) },
  'bindings.preview': {
    input: injectInputSchema,
    output: z.object({
      planId: z.string(),
      file: z.string(),
      serverName: z.string(),
      placement: placementSchema,
      diff: z.string(),
      notes: z.array(z.string())
    })
  },
  'bindings.checkName': {
    input: injectInputSchema,
    output: z.object({ serverName: z.string(), taken: z.boolean(), suggested: z.string().optional() })
  },
  'bindings.apply': {
    input: z.object({ planId: z.string().min(1).max(100) }).strict(),
    output: z.object({ binding: bindingSchema, changeId: z.string() })
  },
  'bindings.remove': { input: z.object({ bindingId: z.string().min(1).max(100) }).strict(), output: z.object({ changeId: z.string() }) },
  'bindings.adopt': {
    input: z
      .object({
        client: clientIdSchema,
        scope: z.string().min(1).max(200),
        projectPath: z.string().max(4096).optional(),
        serverName: z.string().min(1).max(200),
        keyId: z.string().min(1).max(200)
      })
      .strict(),
    output: bindingSchema
  },
  'bindings.importFound': {
    input: z
      .object({
        client: clientIdSchema,
        scope: z.string().min(1).max(200),
        projectPath: z.string().max(4096).optional(),
        serverName: z.string().min(1).max(200),
        name: z.string().trim().min(1).max(200)
      })
      .strict(),
    output: bindingSchema
  },
  'providers.setRotationDays': {
    input: z.object({ providerId: z.string().min(1).max(200), days: z.number().int().min(1).max(3650).nullable() }).strict(),
    output: providerSchema
  },
  'changes.list': { input: none, output: z.array(changeRecordSchema) },
  'changes.undo': { input: z.object({ changeId: z.string().min(1).max(100) }).strict(), output: ok },
  'keys.copy': { input: keyRef, output: z.object({ clearAfterSeconds: z.number() }) },
  'keys.reveal': { input: keyRef, output: z.object({ secret: z.string() }) },
  'keys.forget': { input: keyRef, output: ok },
  /** Rename a key, or change its notes and tags; only this vault changes, never the service. */
  'keys.update': { input: updateKeyInputSchema, output: keyMetaSchema },
  'settings.get': { input: none, output: settingsSchema },
  /** The folder picker for a project scope; no folder when the person cancels. */
  'app.pickFolder': { input: none, output: z.object({ path: z.string().optional() }) },
  /** Moving a plain-text entry to the keychain: a preview of rewriting it in place, applied with bindings.apply. */
  'bindings.previewMove': {
    input: z.object({ bindingId: z.string().min(1).max(100) }).strict(),
    output: z.object({
      planId: z.string(),
      file: z.string(),
      serverName: z.string(),
      placement: placementSchema,
      diff: z.string(),
      notes: z.array(z.string())
    })
  },
  /** Connects to a configured MCP server as its client would (MCP initialize) and says whether it let the key in. */
  'clients.testServer': {
    input: z
      .object({
        client: clientIdSchema,
        scope: z.string().min(1).max(200),
        projectPath: z.string().max(4096).optional(),
        serverName: z.string().min(1).max(200)
      })
      .strict(),
    output: z.object({ outcome: z.enum(['accepted', 'rejected', 'unreachable', 'untestable']), message: z.string() })
  },
  'settings.update': { input: settingsUpdateSchema, output: settingsSchema }
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>

export const methods = Object.keys(contract) as Method[]

// The zod-free list the preload uses must name exactly the contract's methods.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameMethods: Same<Method, MethodName> = true
void sameMethods
export { channelOf, EVENT_CHANNEL, methodNames, progressFields }

/**
 * What the wizard shows while a rotation runs: each step as it starts and ends, and each client's
 * update as it happens. Messages name clients and keys by label and prefix, never by value.
 */
export const rotationProgressSchema = z.object({
  type: z.literal('rotation.progress'),
  rotationId: z.string(),
  keyId: z.string(),
  state: rotationStateSchema,
  message: z.string().max(500),
  bindingId: z.string().optional(),
  bindingStatus: z.enum(['working', 'updated', 'restored', 'needs-person', 'forgotten', 'accepted', 'rejected', 'unreachable']).optional()
})
export type RotationProgress = z.infer<typeof rotationProgressSchema>

/** Events the main process pushes to the window. */
export const eventSchema = z.union([z.object({ type: z.enum(eventTypes).exclude(['rotation.progress']) }), rotationProgressSchema])
export type AppEvent = z.infer<typeof eventSchema>
