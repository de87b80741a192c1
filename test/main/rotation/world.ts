import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, expect } from 'vitest'
import { openApp } from '../../../src/main/app/open-app'
import { createBindingWriter } from '../../../src/main/bindings/writer'
import { mcpHeaders } from '../../../src/main/cli/mcp-headers'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import type { RotationDeps } from '../../../src/main/rotation/engine'
import { accounts } from '../../../src/main/vault/secret-store'
import type { Binding, Provider, Rotation } from '../../../src/shared/schemas'
import { startFaultProxy } from '../../support/fault-proxy'
import { testContext } from '../../support/context'
import { hookVault } from '../../support/vault-hooks'

/**
 * A person's machine for rotation tests: a Lyceum-style provider reached through a fault proxy in
 * front of the real sandbox, one key, and bindings in Claude Code (helper and inline), Cursor and
 * VS Code, all in a temporary home. With `mcpViaProxy`, MCP traffic goes through the proxy too.
 */
// Short enough that the "service never answers" cases stay quick, long enough that a busy CI
// machine running two test files and Chromium at once is not mistaken for a hung service.
const TIMEOUT_MS = 1500

export async function rotationWorld(options: { mcpViaProxy?: boolean } = {}) {
  const base = await testContext({ timeoutMs: TIMEOUT_MS })
  const { ctx } = base
  const proxy = await startFaultProxy(new URL(ctx.services.sandbox!.url).origin)
  const email = 'rotator@example.com'
  const password = 'a-long-test-password'
  await fetch(`${ctx.services.sandbox!.url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password })
  })
  const mcpUrl = options.mcpViaProxy ? `${proxy.origin}/mcp` : ctx.services.sandbox!.mcpUrl
  const provider = await ctx.services.providers.connect({
    kind: 'lyceum',
    name: 'Lyceum',
    baseUrl: `${proxy.origin}/api/v2/external`,
    mcpUrl,
    email,
    password
  })
  const { key, secret: oldValue } = await ctx.services.keys.create({ providerId: provider.id, name: 'main' })
  const project = join(ctx.home, 'src', 'app')
  await mkdir(project, { recursive: true })
  const targets = [
    { client: 'claude-code', scope: 'user', placement: 'helper' },
    { client: 'claude-code', scope: 'project', projectPath: project, placement: 'inline' },
    { client: 'cursor', scope: 'global', placement: 'inline' },
    { client: 'vscode', scope: 'workspace', projectPath: project, placement: 'inline' }
  ] as const
  for (const t of targets) {
    const preview = await ctx.services.bindings.preview({ keyId: key.id, ...t })
    await ctx.services.bindings.apply(preview.planId)
  }

  /** A second process on the same data folder and keychain: what the app is after a restart. */
  const restart = () =>
    openApp({
      dataDir: ctx.dataDir,
      secrets: base.secrets,
      clipboard: base.clipboard,
      version: 'test',
      home: ctx.home,
      platform: 'linux',
      env: {},
      sandbox: 'off',
      timeoutMs: TIMEOUT_MS,
      backoffMs: 5,
      sleep: async () => {}
    }).then(async (app) => {
      await app.start()
      return app
    })

  async function check(options: { newKeyId: string; newName: string }) {
    const adapter = ctx.services.adapterFor(ctx.services.vault.providers.list().find((p) => p.id === provider.id) as Provider)
    proxy.clear()
    const listed = await adapter.listKeys!()
    const newValue = await ctx.secrets.get(accounts.key(options.newKeyId))
    const bindings = (await restart()).services.vault.bindings.list()
    const files = await Promise.all(bindings.filter((b) => b.placement === 'inline').map((b) => readFile(b.file, 'utf8')))
    const helper = bindings.find((b) => b.placement === 'helper') as Binding
    return {
      listed,
      newValue,
      oldAccepted: (await adapter.validateKey(oldValue)).valid,
      newAccepted: newValue ? (await adapter.validateKey(newValue)).valid : false,
      bindingKeyIds: [...new Set(bindings.map((b) => b.keyId))],
      filesHoldNew: newValue ? files.every((f) => f.includes(newValue) && !f.includes(oldValue)) : false,
      filesHoldOld: files.every((f) => f.includes(oldValue)),
      helperHeaders: JSON.parse(await mcpHeaders(helper.id, ctx.dataDir, ctx.secrets)) as Record<string, string>,
      probes: await Promise.all(
        [...new Set(bindings.map((b) => b.url))].map((url) =>
          probeMcp({ url, header: { name: 'Authorization', value: `Bearer ${newValue}` }, serviceName: 'sandbox' })
        )
      )
    }
  }

  /**
   * The three promises of a rotation, read from disk by a fresh process and from the service:
   * no key lost (every key the service holds under the rotation's name has its value in the
   * keychain), no tool on a key the service rejects, and at most one new key at the service.
   */
  async function invariants(r: Rotation) {
    proxy.clear()
    const app = await restart()
    const adapter = app.services.adapterFor(app.services.vault.providers.list().find((p) => p.id === provider.id) as Provider)
    const listed = (await adapter.listKeys!()).filter((k) => k.active !== false)
    const newValue = await app.secrets.get(accounts.key(r.newKeyId))
    const newAtService = listed.filter((k) => k.name === r.newName)
    const lost = newAtService.filter((k) => !newValue || !newValue.startsWith(k.prefix))
    const dead: string[] = []
    // What each tool would send: the value in its file (inline) or the keychain's (helper).
    for (const b of app.services.vault.bindings.list()) {
      const text = b.placement === 'inline' ? await readFile(b.file, 'utf8') : ''
      const value =
        b.placement === 'inline' ? [oldValue, newValue].find((v) => v && text.includes(v)) : await app.secrets.get(accounts.key(b.keyId))
      if (!value || !(await adapter.validateKey(value)).valid) dead.push(`${b.client}/${b.placement}`)
    }
    return {
      newKeysAtService: newAtService.length,
      lostKeys: lost.length,
      bindingsOnDeadKeys: dead,
      oldAccepted: (await adapter.validateKey(oldValue)).valid
    }
  }

  /** Midway (right after a simulated crash) a key created without its answer may still be pending revocation. */
  async function expectInvariants(r: Rotation, options: { midway?: boolean } = {}) {
    const inv = await invariants(r)
    if (!options.midway) expect(inv.lostKeys, 'a key the service holds has no value in the keychain').toBe(0)
    expect(inv.bindingsOnDeadKeys, 'tools on a key the service rejects').toEqual([])
    expect(inv.newKeysAtService, 'more than one new key at the service').toBeLessThanOrEqual(1)
    return inv
  }

  return {
    ...base,
    ctx,
    proxy,
    provider,
    key,
    oldValue,
    project,
    restart,
    check,
    invariants,
    expectInvariants,
    close: async () => {
      await proxy.close()
      await ctx.close()
    }
  }
}

export type World = Awaited<ReturnType<typeof rotationWorld>>

/**
 * For a test file: `world()` makes a rotation world that is closed after the test, and `defer`
 * closes anything else the test started. Call once at the top of the file.
 */
export function rotationWorlds() {
  const closing: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const close of closing.splice(0)) await close()
  })
  return {
    async world(options: Parameters<typeof rotationWorld>[0] = {}) {
      const w = await rotationWorld(options)
      closing.push(w.close)
      return w
    },
    defer: (close: () => Promise<unknown>) => void closing.push(close)
  }
}

export class Crash extends Error {}

/** Where a simulated process death can be injected; `after-<state>` dies right after journaling that state. */
export interface CrashPlan {
  /** Dies after the journal records this state (e.g. "rolling-back"). */
  afterState?: string
  /** Dies after the n-th file update / restore. */
  afterUpdate?: number
  afterRestore?: number
  afterKeychainWrite?: boolean
  createResponseLost?: boolean
  revokeResponseLost?: boolean
  /** Dies right before the create request is sent. */
  beforeCreate?: boolean
  /** Dies inside retiring the old key: after the vault marks it revoked, before the keychain. */
  afterOldMarkedRevoked?: boolean
}

/**
 * The app's rotation dependencies, but the process "dies" at one point: from then on every part
 * fails, as if it were gone. `probe` replaces the MCP probe when given.
 */
export function dyingDeps(w: { ctx: World['ctx'] }, plan: CrashPlan, probe: RotationDeps['probe'] = probeMcp): RotationDeps {
  let dead = false
  const die = (why: string): never => {
    dead = true
    throw new Crash(why)
  }
  const alive = () => {
    if (dead) throw new Crash('dead')
  }
  let updates = 0
  let restores = 0
  const inline = w.ctx.services.bindings.inlineWriter()
  return {
    vault: hookVault(w.ctx.services.vault, {
      before: alive,
      after: () => {
        const rotated = w.ctx.services.journal.list().map((r) => r.keyId)
        if (plan.afterOldMarkedRevoked && rotated.some((id) => w.ctx.services.vault.keys.find(id)?.status === 'revoked'))
          die('old key marked revoked')
      }
    }),
    secrets: {
      ...w.ctx.secrets,
      get: async (a) => (alive(), w.ctx.secrets.get(a)),
      delete: async (a) => (alive(), w.ctx.secrets.delete(a)),
      probe: () => w.ctx.secrets.probe(),
      set: async (a, v) => {
        alive()
        await w.ctx.secrets.set(a, v)
        if (plan.afterKeychainWrite) die('after keychain write')
      }
    },
    journal: {
      ...w.ctx.services.journal,
      save: async (r) => {
        alive()
        const saved = await w.ctx.services.journal.save(r)
        if (plan.afterState === r.state && !r.error) die(`after ${r.state}`)
        return saved
      }
    },
    adapterFor: (p) => {
      const a = w.ctx.services.adapterFor(p)
      return {
        ...a,
        listKeys: a.listKeys && (async () => (alive(), a.listKeys!())),
        validateKey: async (v) => (alive(), a.validateKey(v)),
        createKey:
          a.createKey &&
          (async (input) => {
            alive()
            if (plan.beforeCreate) die('before create')
            const out = await a.createKey!(input)
            if (plan.createResponseLost) die('create response lost')
            return out
          }),
        revokeKey:
          a.revokeKey &&
          (async (id) => {
            alive()
            await a.revokeKey!(id)
            if (plan.revokeResponseLost) die('revoke response lost')
          })
      }
    },
    writer: createBindingWriter({
      inline: {
        update: async (b, v, expect) => {
          alive()
          const out = await inline.update(b, v, expect)
          if (plan.afterUpdate === ++updates) die(`after update ${updates}`)
          return out
        },
        restore: async (b, v, expect) => {
          alive()
          await inline.restore(b, v, expect)
          if (plan.afterRestore === ++restores) die(`after restore ${restores}`)
        },
        read: inline.read
      }
    }),
    probe: async (o) => (alive(), probe(o))
  }
}
