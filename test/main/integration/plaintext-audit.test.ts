import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { testContext } from '../../support/context'
import { accounts } from '../../../src/main/vault/secret-store'
import { DATA_KEY_ACCOUNT } from '../../../src/main/mcp-config/files/backup-cipher'
import { placementsFor } from '../../../src/main/mcp-config/clients'
import type { ClientId } from '../../../src/shared/schemas'

/** Every file under a folder (links not followed), with its bytes. */
async function walk(dir: string, out: Array<{ path: string; bytes: Buffer }> = []) {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name)
    const st = await stat(path).catch(() => undefined)
    if (st?.isDirectory()) await walk(path, out)
    else if (st?.isFile()) out.push({ path, bytes: await readFile(path) })
  }
  return out
}

/** The forms a secret could be written in: as is, JSON-escaped, base64 and base64url, hex. */
const forms = (secret: string) => {
  const bytes = Buffer.from(secret, 'utf8')
  return [
    ...new Set([secret, JSON.stringify(secret).slice(1, -1), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')])
  ]
}

describe('plaintext audit', () => {
  it('after create, inject with every placement, rotate, undo and remove, no secret is in the data folder or anywhere Keywarden wrote but the tools’ own config files', async () => {
    const { ctx, secrets, root } = await testContext()
    const handled = new Map<string, string>()
    const { key, secret } = await ctx.services.keys.create({ providerId: 'sandbox', name: 'audited key' })
    handled.set('created key', secret)

    // Every client with every placement it offers today, each under a server name of its own.
    const scopes: Record<string, string> = { 'claude-code': 'user', cursor: 'global', vscode: 'user' }
    const configFiles = new Set<string>()
    for (const client of Object.keys(scopes) as ClientId[]) {
      for (const placement of placementsFor(client)) {
        const preview = await ctx.services.bindings.preview({
          keyId: key.id,
          client,
          scope: scopes[client]!,
          placement,
          serverName: `kw-${placement}`
        })
        configFiles.add(preview.file)
        await ctx.services.bindings.apply(preview.planId)
      }
    }
    // A change undone (its backup is sealed, then dropped).
    const extra = await ctx.services.bindings.preview({
      keyId: key.id,
      client: 'cursor',
      scope: 'global',
      placement: 'inline',
      serverName: 'kw-undone'
    })
    const { changeId } = await ctx.services.bindings.apply(extra.planId)
    await ctx.services.bindings.undo(changeId)

    let rotation = await ctx.services.rotation.start(key.id)
    // VS Code keeps its own encrypted copy: the person re-enters the key, then the rotation goes on.
    for (let i = 0; i < 5 && rotation.state === 'awaiting-person'; i++) rotation = await ctx.services.rotation.confirmEntered(rotation.id)
    expect(rotation.state, rotation.error).toBe('done')
    const newValue = await secrets.get(accounts.key(rotation.newKeyId!))
    handled.set('rotated-in key', newValue!)

    for (const binding of ctx.services.vault.bindings.list()) await ctx.services.bindings.remove(binding.id)

    handled.set('sandbox password', (await secrets.get(accounts.providerPassword('sandbox')))!)
    const session = await secrets.get(accounts.providerSession('sandbox'))
    if (session)
      for (const v of Object.values(JSON.parse(session) as Record<string, unknown>))
        if (typeof v === 'string' && v.length >= 16) handled.set(`session token ${v.slice(0, 4)}`, v)
    handled.set('backup data key', (await secrets.get(DATA_KEY_ACCOUNT))!)
    for (const [what, value] of handled) expect(value, what).toBeTruthy()

    const files = (await walk(root)).filter((f) => !configFiles.has(f.path))
    const hits: string[] = []
    for (const [what, value] of handled)
      for (const form of forms(value))
        for (const f of files) if (f.bytes.includes(form)) hits.push(`${what} in ${f.path.slice(root.length)}`)
    console.log(
      `[plaintext audit] ${handled.size} secrets searched in ${files.length} files Keywarden wrote or keeps (data folder and home, tools' configs aside): ${hits.length} hits`
    )
    expect(hits).toEqual([])
    await ctx.close()
  }, 60_000)
})
