import { z } from 'zod'
import { channelOf, EVENT_CHANNEL, eventTypes, methodNames, progressFields, type MethodName } from './methods'
import {
  bindingPreviewSchema,
  bindingSchema,
  changeRecordSchema,
  clientIdSchema,
  clientListingSchema,
  connectProviderInputSchema,
  createKeyInputSchema,
  dueKeySchema,
  foundServerSchema,
  importKeyInputSchema,
  injectInputSchema,
  keyMetaSchema,
  providerKindInfoSchema,
  providerSchema,
  recognitionSchema,
  rotationSchema,
  rotationStateSchema,
  storedCustomProviderSpecSchema,
  syncResultSchema,
  updateProviderInputSchema,
  settingsSchema,
  settingsUpdateSchema,
  updateKeyInputSchema
} from './schemas'
import { driftReportSchema, findingSchema, scanProgressSchema, scanResultSchema, secureOutcomeSchema } from './findings'
import { activityEventSchema, activityFilterSchema } from './activity'

export type { ProviderKindInfo } from './providers'
export { changeRecordSchema, dueKeySchema, providerKindInfoSchema, syncResultSchema }

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
  sandbox: z.object({
    running: z.boolean(),
    url: z.string().optional(),
    error: z.string().optional(),
    /** Whether it keeps running after this process's command ends (the window's, or one found running). */
    lasting: z.boolean().optional()
  }),
  /** Set when the vault's metadata file could not be read at start and was moved aside. */
  metadataError: z.string().optional()
})
export type AppStatus = z.infer<typeof appStatusSchema>

const providerRef = z.object({ providerId: z.string().min(1).max(200) }).strict()
const rotationRef = z.object({ rotationId: z.string().min(1).max(200) }).strict()

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
  'keys.recognise': { input: z.object({ value: z.string().max(1000) }).strict(), output: recognitionSchema },
  'keys.import': { input: importKeyInputSchema, output: z.object({ key: keyMetaSchema, warnings: z.array(z.string()) }) },
  'keys.list': { input: none, output: z.array(keyMetaSchema) },
  'keys.sync': {
    input: z.object({ providerId: z.string().min(1).optional() }).strict(),
    output: syncResultSchema
  },
  'keys.create': {
    input: createKeyInputSchema.strict(),
    // No value: it is in the keychain, and reaches the window only through keys.reveal or keys.copy,
    // when the person asks.
    output: z.object({ key: keyMetaSchema })
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
      servers: z.array(foundServerSchema),
      present: z.array(
        z.object({ client: clientIdSchema, scope: z.string(), label: z.string(), file: z.string(), projectPath: z.string().optional() })
      ),
      problems: z.array(z.object({ file: z.string(), message: z.string() }))
    })
  },
  /** Every MCP client Keywarden writes to: names, scopes, placements and whether it is installed here. */
  'clients.list': { input: none, output: z.array(clientListingSchema) },
  'bindings.list': { input: none, output: z.array(bindingSchema) },
  'bindings.preview': { input: injectInputSchema, output: bindingPreviewSchema },
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
  /** Every copy of a key in plain text: client configs, the folders given (remembered), history, transcripts. */
  'findings.scan': {
    input: z
      .object({
        folders: z.array(z.string().min(1).max(4096)).max(50).optional(),
        /** Remember the folders for the next scan (the window does; a one-off command-line scan does not). */
        saveFolders: z.boolean().optional(),
        history: z.boolean().optional(),
        transcripts: z.boolean().optional()
      })
      .strict(),
    output: scanResultSchema.extend({ folders: z.array(z.string()) })
  },
  'findings.progress': { input: none, output: scanProgressSchema.extend({ running: z.boolean() }) },
  'findings.folders': { input: none, output: z.array(z.string()) },
  /** Secures copies from the last scan; masking history or transcripts needs confirmRedaction. */
  'findings.secure': {
    input: z.object({ findingIds: z.array(z.string().min(1).max(100)).min(1).max(1000), confirmRedaction: z.boolean() }).strict(),
    output: z.array(secureOutcomeSchema)
  },
  /** Asks the services about copies whose state is unknown (where the service is connected). */
  'findings.revalidate': {
    input: z.object({ findingIds: z.array(z.string().min(1).max(100)).min(1).max(1000) }).strict(),
    output: z.array(findingSchema)
  },
  'findings.undo': { input: z.object({ changeId: z.string().min(1).max(100) }).strict(), output: ok },
  'activity.list': { input: activityFilterSchema, output: z.object({ events: z.array(activityEventSchema), unreadable: z.number() }) },
  'bindings.drift': { input: none, output: z.array(driftReportSchema) },
  'bindings.repairPreview': {
    input: z.object({ bindingId: z.string().min(1).max(100) }).strict(),
    output: z.object({ planId: z.string(), file: z.string(), summary: z.string(), diff: z.string() })
  },
  'bindings.repair': { input: z.object({ planId: z.string().min(1).max(100) }).strict(), output: z.object({ changeId: z.string() }) },
  /** Rename a key, or change its notes and tags; only this vault changes, never the service. */
  'keys.update': { input: updateKeyInputSchema, output: keyMetaSchema },
  'settings.get': { input: none, output: settingsSchema },
  /** The folder picker for a project scope; no folder when the person cancels. */
  'app.pickFolder': { input: none, output: z.object({ path: z.string().optional() }) },
  /** Moving a plain-text entry to the keychain: a preview of rewriting it in place, applied with bindings.apply. */
  'bindings.previewMove': { input: z.object({ bindingId: z.string().min(1).max(100) }).strict(), output: bindingPreviewSchema },
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
