import { z } from 'zod'
import { lazySchema } from './lazy-schema'

/** Where a copy of a key was found. */
export const findingSourceSchema = lazySchema(() =>
  z.enum(['client-config', 'mcp-config', 'env-file', 'shell-history', 'transcript', 'file'])
)
export type FindingSource = z.infer<typeof findingSourceSchema>

/** What the service says about the key, as far as the vault knows. */
export const findingStateSchema = lazySchema(() => z.enum(['active', 'inactive', 'revoked', 'expired', 'unknown']))
export type FindingState = z.infer<typeof findingStateSchema>

/** How bad a copy is: an active key in a committed file is critical, a revoked one in old history is information. */
export const severitySchema = lazySchema(() => z.enum(['critical', 'high', 'medium', 'low', 'info']))
export type Severity = z.infer<typeof severitySchema>

/** One plain-text copy of a key. Never the value: a masked prefix and a keyed fingerprint. */
export const findingSchema = lazySchema(() =>
  z.object({
    /** Stable for the same copy at the same place across scans. */
    id: z.string(),
    source: findingSourceSchema,
    file: z.string(),
    line: z.number().int().positive(),
    column: z.number().int().positive(),
    /** Byte offset of the value in the file, to find it again (redaction, revalidation). */
    offset: z.number().int().nonnegative(),
    /** The first characters only, as the service itself shows them ("sk-proj-…"). */
    masked: z.string().max(24),
    /** HMAC of the value under this vault's own fingerprint key (hex). */
    fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/),
    length: z.number().int().positive(),
    /** The vault's key, when the value is one it holds (exact) or one it lists without its value (prefix). */
    key: z.object({ id: z.string(), name: z.string(), match: z.enum(['exact', 'prefix']) }).optional(),
    /** The service, by the key's shape or the vault's provider. */
    service: z.string().optional(),
    state: findingStateSchema,
    severity: severitySchema,
    /** Why it is rated so, in words. */
    reasons: z.array(z.string()),
    exposure: z.object({
      /** The git work tree the file sits in. */
      repo: z.string().optional(),
      /** Committed (in git's index). */
      tracked: z.boolean().optional(),
      /** Matched by a .gitignore rule. */
      ignored: z.boolean().optional()
    }),
    /** For MCP configs: which client, server and field hold it. */
    config: z
      .object({
        client: z.string().optional(),
        label: z.string().optional(),
        scope: z.string().optional(),
        projectPath: z.string().optional(),
        serverName: z.string().optional(),
        /** The server's address without query or credentials (a key may sit in the query). */
        url: z.string().optional(),
        field: z.enum(['headers', 'env', 'args', 'url', 'other']),
        path: z.array(z.string())
      })
      .optional()
  })
)
export type Finding = z.infer<typeof findingSchema>

export const scanSkipSchema = lazySchema(() => z.object({ file: z.string(), reason: z.string() }))

export const scanResultSchema = lazySchema(() =>
  z.object({
    findings: z.array(findingSchema),
    /** Files left out, with why (binary, too large, a link out of the folder, unreadable). */
    skipped: z.array(scanSkipSchema),
    files: z.number().int().nonnegative(),
    bytes: z.number().nonnegative(),
    ms: z.number().nonnegative()
  })
)
export type ScanResult = z.infer<typeof scanResultSchema>

export const scanProgressSchema = lazySchema(() =>
  z.object({
    filesDone: z.number(),
    filesTotal: z.number(),
    bytesDone: z.number(),
    bytesTotal: z.number()
  })
)
export type ScanProgress = z.infer<typeof scanProgressSchema>

/** What securing one copy did. */
export const secureOutcomeSchema = lazySchema(() =>
  z.object({
    findingId: z.string(),
    done: z.array(z.enum(['import', 'move', 'redact', 'rotate', 'blocked'])),
    /** Undo with findings.undo (entries moved to a keyless placement). */
    changeId: z.string().optional(),
    keyId: z.string().optional(),
    rotationOffered: z.boolean()
  })
)

/** A binding's entry as its file holds it now. */
export const driftReportSchema = lazySchema(() =>
  z.object({
    bindingId: z.string(),
    keyId: z.string(),
    client: z.string(),
    scope: z.string(),
    file: z.string(),
    serverName: z.string(),
    state: z.enum(['intact', 'changed', 'missing', 'unreadable']),
    detail: z.string().optional()
  })
)
