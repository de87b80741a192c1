import { z } from 'zod'
import { isoDate } from './common'
import { lazySchema } from './lazy-schema'

/**
 * An MCP client's id, by its shape only: which clients exist is main's to say (each client module
 * declares its own), so adding a client touches no schema. Main refuses an id it does not know.
 */
export const clientIdSchema = lazySchema(() =>
  z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'A client is named by its id in lowercase letters, digits and dashes, e.g. claude-code.')
)
export type ClientId = z.infer<typeof clientIdSchema>

/**
 * How a key reaches a client, strongest first (DESIGN.md, "the ladder"): a helper the client runs at
 * connect time, the keychain bridge (a stdio server the client launches), the client's own secret
 * store, an environment variable, plain text in the file.
 */
export const placementSchema = lazySchema(() => z.enum(['helper', 'bridge', 'input', 'env', 'inline']))
export type Placement = z.infer<typeof placementSchema>

/** Where a managed key is used: one MCP server entry in one client's config file. */
export const bindingSchema = lazySchema(() =>
  z.object({
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
    /** env placements: the variable the entry names, which `keywarden run` fills from the keychain. */
    envVar: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
      .optional(),
    createdAt: isoDate
  })
)
export type Binding = z.infer<typeof bindingSchema>

/** Server names Keywarden writes: plain enough for every client's file format and shell. */
export const serverNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/, 'Server names use letters, digits, dot, dash and underscore (at most 80).')
    // Names that every JavaScript object already has: a client reading its file could take them for its own.
    .refine((name) => !['__proto__', 'constructor', 'prototype'].includes(name), 'That server name is reserved; choose another.')
)

/** Adding a key to a client: where, how the key is placed, and under which server name. */
export const injectInputSchema = lazySchema(() =>
  z
    .object({
      keyId: z.string().min(1).max(200),
      client: clientIdSchema,
      scope: z.string().min(1).max(200),
      projectPath: z.string().min(1).max(4096).optional(),
      placement: placementSchema.optional(),
      serverName: serverNameSchema.optional()
    })
    .strict()
)
export type InjectInput = z.infer<typeof injectInputSchema>

/** What an add would write, shown before anything is written. */
export const bindingPreviewSchema = lazySchema(() =>
  z.object({
    planId: z.string(),
    file: z.string(),
    serverName: z.string(),
    placement: placementSchema,
    diff: z.string(),
    notes: z.array(z.string())
  })
)
export type BindingPreview = z.infer<typeof bindingPreviewSchema>

/** How a found entry carries its key ("other": no header Keywarden recognises). */
export const foundPlacementSchema = lazySchema(() => z.enum(['helper', 'bridge', 'inline', 'input', 'env', 'other']))

/** One MCP server found in a client's file, with the managed key it uses, if any. */
export const foundServerSchema = lazySchema(() =>
  z.object({
    client: clientIdSchema,
    scope: z.string(),
    label: z.string(),
    file: z.string(),
    projectPath: z.string().optional(),
    serverName: z.string(),
    url: z.string().optional(),
    placement: foundPlacementSchema,
    prefix: z.string().optional(),
    knownKind: z.string().optional(),
    bindingId: z.string().optional(),
    keyId: z.string().optional(),
    /** A managed key pasted by hand: can be adopted as a binding. */
    adoptable: z.boolean(),
    /** A key with a known prefix that the vault does not hold. */
    unmanaged: z.boolean(),
    plaintext: z.boolean()
  })
)
export type FoundServer = z.infer<typeof foundServerSchema>

/** A client Keywarden writes to, as the window and the command line show it. */
export const clientListingSchema = lazySchema(() =>
  z.object({
    client: clientIdSchema,
    label: z.string(),
    installed: z.boolean(),
    evidence: z.string(),
    scopes: z.array(z.object({ id: z.string(), label: z.string(), project: z.boolean() })),
    placements: z.array(z.object({ id: placementSchema, label: z.string() })),
    afterWrite: z.string(),
    /** The program a person starts from a terminal, when there is one. */
    command: z.string().optional()
  })
)
export type ClientListing = z.infer<typeof clientListingSchema>

/** A change Keywarden made to a client's file, as listed for undo. */
export const changeRecordSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    file: z.string(),
    at: z.string(),
    summary: z.string().max(300),
    undone: z.boolean().default(false)
  })
)
export type ChangeSummary = z.infer<typeof changeRecordSchema>
