import type { App } from '../../src/main/app/open-app'

/** How many requests the sandbox counted with a key (its MCP endpoint counts each one), from its key API. */
export async function requestsWith(ctx: App, keyId: string): Promise<number> {
  const key = ctx.services.vault.keys.list().find((k) => k.id === keyId)
  const provider = ctx.services.vault.providers.list().find((p) => p.id === key?.providerId)
  if (!key || !provider) return 0
  const remote = await ctx.services.adapterFor(provider).listKeys!()
  return remote.find((r) => r.remoteId === key.remoteId)?.requestCount ?? 0
}
