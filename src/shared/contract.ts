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
  removedKeySchema,
  removeKeyInputSchema,
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
import { lazySchema } from './lazy-schema'

export type { ProviderKindInfo } from './providers'
export { changeRecordSchema, dueKeySchema, providerKindInfoSchema, syncResultSchema }

const none = lazySchema(() => z.object({}).strict())
const keyRef = lazySchema(() => z.object({ keyId: z.string().min(1).max(200) }).strict())
const ok = lazySchema(() => z.object({ ok: z.literal(true) }))

export const appStatusSchema = lazySchema(() =>
  z.object({
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
)
export type AppStatus = z.infer<typeof appStatusSchema>

const providerRef = lazySchema(() => z.object({ providerId: z.string().min(1).max(200) }).strict())
const rotationRef = lazySchema(() => z.object({ rotationId: z.string().min(1).max(200) }).strict())

/**
 * Each method's schemas are built on its first call: a command that lists keys builds one entry,
 * not sixty (see lazy-schema.ts).
 */
const method = lazySchema

/**
 * The IPC contract: every method the renderer may call, with the schema its input is parsed by in
 * the main process and the schema its output is cut to before it leaves. The preload, the
 * renderer's client and the main-process binding are all derived from this table.
 */
export const contract = {
  'app.status': method(() => ({ input: none, output: appStatusSchema })),
  'app.openExternal': method(() => ({ input: z.object({ url: z.string().max(2000) }).strict(), output: ok })),
  'providers.list': method(() => ({ input: none, output: z.array(providerSchema) })),
  'providers.catalog': method(() => ({ input: none, output: z.array(providerKindInfoSchema) })),
  'providers.test': method(() => ({ input: connectProviderInputSchema, output: z.object({ ok: z.boolean(), message: z.string() }) })),
  'providers.connect': method(() => ({ input: connectProviderInputSchema, output: providerSchema })),
  'providers.remove': method(() => ({ input: providerRef, output: ok })),
  'providers.update': method(() => ({ input: updateProviderInputSchema, output: providerSchema })),
  'providers.exportCustom': method(() => ({ input: providerRef, output: z.object({ json: z.string() }) })),
  'providers.importCustom': method(() => ({
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
  })),
  /** Reads a shared description without connecting it, so the window can show where keys would go. */
  'providers.parseCustom': method(() => ({
    input: z.object({ json: z.string().max(100_000) }).strict(),
    output: storedCustomProviderSpecSchema
  })),
  'keys.recognise': method(() => ({ input: z.object({ value: z.string().max(1000) }).strict(), output: recognitionSchema })),
  'keys.import': method(() => ({ input: importKeyInputSchema, output: z.object({ key: keyMetaSchema, warnings: z.array(z.string()) }) })),
  'keys.list': method(() => ({ input: none, output: z.array(keyMetaSchema) })),
  'keys.sync': method(() => ({
    input: z.object({ providerId: z.string().min(1).optional() }).strict(),
    output: syncResultSchema
  })),
  'keys.create': method(() => ({
    input: createKeyInputSchema.strict(),
    // No value: it is in the keychain, and reaches the window only through keys.reveal or keys.copy,
    // when the person asks.
    output: z.object({ key: keyMetaSchema })
  })),
  'keys.revoke': method(() => ({ input: keyRef, output: keyMetaSchema })),
  'keys.setActive': method(() => ({
    input: z.object({ keyId: z.string().min(1).max(200), active: z.boolean() }).strict(),
    output: keyMetaSchema
  })),
  'keys.validate': method(() => ({
    input: keyRef,
    output: z.object({ valid: z.boolean(), message: z.string() })
  })),
  'keys.due': method(() => ({ input: none, output: z.array(dueKeySchema) })),
  'rotations.list': method(() => ({ input: none, output: z.array(rotationSchema) })),
  'rotations.plan': method(() => ({ input: keyRef, output: rotationSchema })),
  'rotations.start': method(() => ({ input: keyRef, output: rotationSchema })),
  'rotations.resume': method(() => ({ input: rotationRef, output: rotationSchema })),
  'rotations.rollback': method(() => ({
    input: z.object({ rotationId: z.string().min(1).max(200), keepNewKey: z.boolean().optional() }).strict(),
    output: rotationSchema
  })),
  'rotations.provideNewKey': method(() => ({
    input: z.object({ rotationId: z.string().min(1).max(200), value: z.string().trim().min(8).max(1000) }).strict(),
    output: rotationSchema
  })),
  'rotations.confirmRevoked': method(() => ({ input: rotationRef, output: rotationSchema })),
  /** The person re-entered the new key where Keywarden cannot (VS Code's encrypted copy). */
  'rotations.confirmEntered': method(() => ({ input: rotationRef, output: rotationSchema })),
  'clients.scan': method(() => ({
    input: z.object({ projectPaths: z.array(z.string().min(1).max(4096)).max(50).optional() }).strict(),
    output: z.object({
      servers: z.array(foundServerSchema),
      present: z.array(
        z.object({ client: clientIdSchema, scope: z.string(), label: z.string(), file: z.string(), projectPath: z.string().optional() })
      ),
      problems: z.array(z.object({ file: z.string(), message: z.string() }))
    })
  })),
  /** Every MCP client Keywarden writes to: names, scopes, placements and whether it is installed here. */
  'clients.list': method(() => ({ input: none, output: z.array(clientListingSchema) })),
  'bindings.list': method(() => ({ input: none, output: z.array(bindingSchema) })),
  'bindings.preview': method(() => ({ input: injectInputSchema, output: bindingPreviewSchema })),
  'bindings.checkName': method(() => ({
    input: injectInputSchema,
    output: z.object({ serverName: z.string(), taken: z.boolean(), suggested: z.string().optional() })
  })),
  'bindings.apply': method(() => ({
    input: z.object({ planId: z.string().min(1).max(100) }).strict(),
    output: z.object({ binding: bindingSchema, changeId: z.string() })
  })),
  /** A change to undo, or (the entry already gone from its file) the binding forgotten with nothing written. */
  'bindings.remove': method(() => ({
    input: z.object({ bindingId: z.string().min(1).max(100) }).strict(),
    output: z.union([z.object({ changeId: z.string() }), z.object({ alreadyGone: z.literal(true), message: z.string() })])
  })),
  'bindings.adopt': method(() => ({
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
  })),
  'bindings.importFound': method(() => ({
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
  })),
  'providers.setRotationDays': method(() => ({
    input: z.object({ providerId: z.string().min(1).max(200), days: z.number().int().min(1).max(3650).nullable() }).strict(),
    output: providerSchema
  })),
  'changes.list': method(() => ({ input: none, output: z.array(changeRecordSchema) })),
  'changes.undo': method(() => ({ input: z.object({ changeId: z.string().min(1).max(100) }).strict(), output: ok })),
  'keys.copy': method(() => ({ input: keyRef, output: z.object({ clearAfterSeconds: z.number() }) })),
  'keys.reveal': method(() => ({ input: keyRef, output: z.object({ secret: z.string() }) })),
  /** Remove from vault; refused while clients use the key unless their entries go too (`removeEntries`). */
  'keys.forget': method(() => ({ input: removeKeyInputSchema, output: removedKeySchema })),
  /** Puts back what a `keys.forget` removed: the value, the key, then its entries (for ten minutes, in the same process). */
  'keys.undoForget': method(() => ({ input: z.object({ undoId: z.string().min(1).max(100) }).strict(), output: ok })),
  /** Every copy of a key in plain text: client configs, the folders given (remembered), history, transcripts. */
  'findings.scan': method(() => ({
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
  })),
  'findings.progress': method(() => ({ input: none, output: scanProgressSchema.extend({ running: z.boolean() }) })),
  'findings.folders': method(() => ({ input: none, output: z.array(z.string()) })),
  /** Secures copies from the last scan; masking history or transcripts needs confirmRedaction. */
  'findings.secure': method(() => ({
    input: z.object({ findingIds: z.array(z.string().min(1).max(100)).min(1).max(1000), confirmRedaction: z.boolean() }).strict(),
    output: z.array(secureOutcomeSchema)
  })),
  /** Asks the services about copies whose state is unknown (where the service is connected). */
  'findings.revalidate': method(() => ({
    input: z.object({ findingIds: z.array(z.string().min(1).max(100)).min(1).max(1000) }).strict(),
    output: z.array(findingSchema)
  })),
  'findings.undo': method(() => ({ input: z.object({ changeId: z.string().min(1).max(100) }).strict(), output: ok })),
  'activity.list': method(() => ({
    input: activityFilterSchema,
    output: z.object({ events: z.array(activityEventSchema), unreadable: z.number() })
  })),
  'bindings.drift': method(() => ({ input: none, output: z.array(driftReportSchema) })),
  'bindings.repairPreview': method(() => ({
    input: z.object({ bindingId: z.string().min(1).max(100) }).strict(),
    output: z.object({ planId: z.string(), file: z.string(), summary: z.string(), diff: z.string() })
  })),
  'bindings.repair': method(() => ({
    input: z.object({ planId: z.string().min(1).max(100) }).strict(),
    output: z.object({ changeId: z.string() })
  })),
  /** Rename a key, or change its notes and tags; only this vault changes, never the service. */
  'keys.update': method(() => ({ input: updateKeyInputSchema, output: keyMetaSchema })),
  'settings.get': method(() => ({ input: none, output: settingsSchema })),
  /** The folder picker for a project scope; no folder when the person cancels. */
  'app.pickFolder': method(() => ({ input: none, output: z.object({ path: z.string().optional() }) })),
  /** Moving a plain-text entry to the keychain: a preview of rewriting it in place, applied with bindings.apply. */
  'bindings.previewMove': method(() => ({
    input: z.object({ bindingId: z.string().min(1).max(100) }).strict(),
    output: bindingPreviewSchema
  })),
  /** Connects to a configured MCP server as its client would (MCP initialize) and says whether it let the key in. */
  'clients.testServer': method(() => ({
    input: z
      .object({
        client: clientIdSchema,
        scope: z.string().min(1).max(200),
        projectPath: z.string().max(4096).optional(),
        serverName: z.string().min(1).max(200)
      })
      .strict(),
    output: z.object({ outcome: z.enum(['accepted', 'rejected', 'unreachable', 'untestable']), message: z.string() })
  })),
  'settings.update': method(() => ({ input: settingsUpdateSchema, output: settingsSchema }))
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
export const rotationProgressSchema = lazySchema(() =>
  z.object({
    type: z.literal('rotation.progress'),
    rotationId: z.string(),
    keyId: z.string(),
    state: rotationStateSchema,
    message: z.string().max(500),
    bindingId: z.string().optional(),
    bindingStatus: z.enum(['working', 'updated', 'restored', 'needs-person', 'forgotten', 'accepted', 'rejected', 'unreachable']).optional()
  })
)
export type RotationProgress = z.infer<typeof rotationProgressSchema>

/** Events the main process pushes to the window. */
export const eventSchema = lazySchema(() =>
  z.union([z.object({ type: z.enum(eventTypes).exclude(['rotation.progress']) }), rotationProgressSchema])
)
export type AppEvent = z.infer<typeof eventSchema>
