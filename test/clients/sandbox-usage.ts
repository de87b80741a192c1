import type { AppContext } from '../../src/main/app-context'

/** How many requests the sandbox counted with a key (its MCP endpoint counts each one), from its key API. */
export async function requestsWith(ctx: AppContext, keyId: string): Promise<number> {
  const key = ctx.store.read().keys.find((k) => k.id === keyId)
  const provider = ctx.store.read().providers.find((p) => p.id === key?.providerId)
  if (!key || !provider) return 0
  const remote = await ctx.adapterFor(provider).listKeys!()
  return remote.find((r) => r.remoteId === key.remoteId)?.requestCount ?? 0
}
