import { join, resolve } from 'node:path'
import type { ClientId, Placement } from '../../src/shared/schemas'
import { type testContext } from '../support/context'

export type Ctx = Awaited<ReturnType<typeof testContext>>

export const KEYWARDEN_CLI = resolve(import.meta.dirname, '../../out/cli/keywarden.cjs')

/** `keywarden run --data-dir <the test's vault> --`, to put before a client's command line. */
export const keywardenRun = (c: Ctx) => [process.execPath, KEYWARDEN_CLI, 'run', '--data-dir', join(c.root, 'data'), '--']

/** Adds a key to a client through the same preview and apply as "Add to…". */
export async function injectKey(
  c: Ctx,
  keyId: string,
  client: ClientId,
  placement: Placement,
  options: { scope?: string; projectPath?: string; serverName?: string } = {}
) {
  const preview = await c.ctx.services.bindings.preview({
    keyId,
    client,
    scope: options.scope ?? 'user',
    projectPath: options.projectPath,
    placement,
    serverName: options.serverName ?? `kw-${placement}`
  })
  const { binding } = await c.ctx.services.bindings.apply(preview.planId)
  return { preview, binding }
}

/** Whether the bridge placement can be written yet: undefined when it can, else why not. */
export async function bridgeUnavailable(c: Ctx, keyId: string, client: ClientId): Promise<string | undefined> {
  try {
    await c.ctx.services.bindings.preview({ keyId, client, scope: 'user', placement: 'bridge', serverName: 'kw-bridge-probe' })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
