import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClientId } from '../../../src/shared/schemas'
import { testContext } from '../../support/context'

type Ctx = Awaited<ReturnType<typeof testContext>>
const open: Ctx[] = []
afterEach(async () => {
  for (const c of open.splice(0)) await c.ctx.close()
})
const CLI = resolve(import.meta.dirname, '../../../out/cli/keywarden.cjs')
const sha = (v: string) => createHash('sha256').update(v).digest('hex')

async function withEnvBinding(client: ClientId = 'codex', name = 'run key') {
  const c = await testContext()
  open.push(c)
  const { key, secret } = await c.ctx.services.keys.create({ providerId: 'sandbox', name })
  const preview = await c.ctx.services.bindings.preview({
    keyId: key.id,
    client,
    scope: 'user',
    placement: 'env',
    serverName: `kw-${client}`
  })
  const { binding } = await c.ctx.services.bindings.apply(preview.planId)
  return { c, key, secret, envVar: binding.envVar! }
}

/** `keywarden run` as a separate process, as a person starts it from a shell. */
function keywardenRun(c: Ctx, args: string[], onStdout?: (text: string, pid: number) => void, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((done) => {
    const child = spawn(process.execPath, [CLI, 'run', '--data-dir', join(c.root, 'data'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      onStdout?.(out, child.pid!)
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code, signal) => done({ code, signal, out, err }))
  })
}
const node = (script: string) => ['--', process.execPath, '-e', script]

describe('keywarden run', () => {
  it('gives the command the key under the variable the entry names, prints none of it, and passes its exit code through', async () => {
    const { c, secret, envVar } = await withEnvBinding()
    const r = await keywardenRun(c, [
      '--client',
      'codex',
      ...node(
        `process.stdout.write(require('crypto').createHash('sha256').update(process.env.${envVar} ?? '').digest('hex')); process.exit(7)`
      )
    ])
    expect(r.code).toBe(7)
    expect(r.out).toBe(sha(secret))
    expect(r.err).not.toContain(secret)
  }, 30_000)

  it('forwards SIGTERM and SIGINT to the command and exits as the command did', async () => {
    const { c } = await withEnvBinding()
    const script = `process.on('SIGTERM', () => { process.stdout.write(' term'); process.exit(3) });
      process.on('SIGINT', () => { process.stdout.write(' int'); process.exit(4) });
      setInterval(() => {}, 1000); process.stdout.write('ready')`
    for (const [signal, code, said] of [
      ['SIGTERM', 3, 'ready term'],
      ['SIGINT', 4, 'ready int']
    ] as const) {
      let sent = false
      const r = await keywardenRun(c, ['--client', 'codex', ...node(script)], (out, pid) => {
        if (!sent && out === 'ready') {
          sent = true
          process.kill(pid, signal)
        }
      })
      expect(r.out, signal).toBe(said)
      expect(r.code, signal).toBe(code)
    }
    const killed = await keywardenRun(c, ['--all', ...node(`process.kill(process.pid, 'SIGKILL')`)])
    expect(killed.code).toBe(128 + 9)
  }, 30_000)

  it('chooses keys by client, by key and by --env, and refuses two keys for one variable', async () => {
    const { c, envVar, secret } = await withEnvBinding('gemini-cli', 'first')
    const { key: second, secret: secondValue } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'second' })
    const print = node(
      `process.stdout.write([process.env.${envVar}, process.env.OTHER].map(v => v ? require('crypto').createHash('sha256').update(v).digest('hex') : '-').join(' '))`
    )
    expect((await keywardenRun(c, ['--client', 'gemini-cli', '--env', `OTHER=${second.id}`, ...print])).out).toBe(
      `${sha(secret)} ${sha(secondValue)}`
    )
    expect((await keywardenRun(c, ['--key', second.id, '--env', 'OTHER=second', ...print])).out).toBe(`- ${sha(secondValue)}`)
    const clash = await keywardenRun(c, ['--env', `${envVar}=second`, ...print])
    expect(clash.code).toBe(1)
    expect(clash.err).toMatch(new RegExp(`${envVar} is named for two different keys`))
    expect(clash.out).toBe('')
  }, 30_000)

  it('says what to do when there is nothing to provide, the command is missing, or the key was revoked', async () => {
    const { c, key } = await withEnvBinding()
    const none = await keywardenRun(c, ['--client', 'opencode', ...node('process.exit(0)')])
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/No key to provide.*--placement env/)
    const unknown = await keywardenRun(c, ['--client', 'notepad', ...node('process.exit(0)')])
    expect(unknown.err).toMatch(/Unknown client "notepad"/)
    const missing = await keywardenRun(c, ['--all', '--', 'keywarden-no-such-program'])
    expect(missing.code).toBe(127)
    expect(missing.err).toMatch(/"keywarden-no-such-program" was not found on PATH/)
    const moved = await keywardenRun(c, ['--all', '--', '/nonexistent/bin/codex'])
    expect(moved.code).toBe(127)
    expect(moved.err).toMatch(/"\/nonexistent\/bin\/codex" does not exist/)
    const badEnv = await keywardenRun(c, ['--env', 'lower-case=x', ...node('0')])
    expect(badEnv.err).toMatch(/--env takes NAME=<key>/)
    await c.ctx.services.keys.revoke(key.id)
    const revoked = await keywardenRun(c, ['--all', ...node('process.exit(0)')])
    expect(revoked.code).toBe(1)
    expect(revoked.err).toMatch(
      /is revoked, so .* cannot be given\. Remove the entries that name it \(`keywarden bindings remove <binding>`/
    )
  }, 30_000)

  it("hands a client's own program only that client's keys, and refuses to guess for any other command", async () => {
    const { c, envVar: codexVar, secret } = await withEnvBinding('codex', 'codex key')
    const { key: gem } = await c.ctx.services.keys.create({ providerId: 'sandbox', name: 'gem only' })
    const p = await c.ctx.services.bindings.preview({
      keyId: gem.id,
      client: 'gemini-cli',
      scope: 'user',
      placement: 'env',
      serverName: 'kw-gem'
    })
    const gemVar = (await c.ctx.services.bindings.apply(p.planId)).binding.envVar!
    expect(gemVar).not.toBe(codexVar)
    // A stand-in `codex` on PATH that prints which of the two variables it was given.
    const bin = join(c.root, 'bin')
    await mkdir(bin, { recursive: true })
    await writeFile(join(bin, 'codex'), `#!/bin/sh\necho "codex:\${${codexVar}:+set} gemini:\${${gemVar}:+set}"\n`, { mode: 0o755 })
    const env = { ...process.env, PATH: `${bin}:${process.env['PATH']}` }
    const asCodex = await keywardenRun(c, ['--', 'codex'], undefined, env)
    expect(asCodex).toMatchObject({ code: 0, out: 'codex:set gemini:\n' })
    expect(asCodex.err + asCodex.out).not.toContain(secret)
    const other = await keywardenRun(c, ['--', 'sh', '-c', 'env'], undefined, env)
    expect(other.code).toBe(2)
    expect(other.out).toBe('')
    expect(other.err).toMatch(/Say which keys "sh" should get: --client <client>, --key <key> or --env NAME=<key>/)
    expect(other.err).toContain('codex (codex)')
    const everything = await keywardenRun(c, ['--all', '--', 'sh', '-c', `echo "\${${codexVar}:+set} \${${gemVar}:+set}"`], undefined, env)
    expect(everything.out).toBe('set set\n')
  }, 30_000)

  it('the placement notes name the client, so following them hands over only its keys', async () => {
    const { c } = await withEnvBinding('codex', 'noted')
    const listed = await c.ctx.api.clients.list()
    for (const client of listed.filter((l) => l.placements.some((p) => p.id === 'env'))) {
      const note = client.placements.find((p) => p.id === 'env')!.label
      expect(note, client.client).toContain(`keywarden run --client ${client.client} -- ${client.command}`)
    }
  })
})
