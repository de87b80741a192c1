import { z } from 'zod'
import { isoDate } from './common'

export const clientIdSchema = z.enum([
  'claude-code',
  'cursor',
  'vscode',
  'vscode-insiders',
  'codex',
  'claude-desktop',
  'windsurf',
  'gemini-cli',
  'copilot-cli',
  'opencode'
])
export type ClientId = z.infer<typeof clientIdSchema>

/**
 * How a key reaches a client, strongest first (DESIGN.md, "the ladder"): a helper the client runs at
 * connect time, the keychain bridge (a stdio server the client launches), the client's own secret
 * store, an environment variable, plain text in the file.
 */
export const placementSchema = z.enum(['helper', 'bridge', 'input', 'env', 'inline'])
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
  /** env placements: the variable the entry names, which `keywarden run` fills from the keychain. */
  envVar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/)
    .optional(),
  createdAt: isoDate
})
export type Binding = z.infer<typeof bindingSchema>
