import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { probeMcp } from '../../../src/main/providers/mcp-probe'
import { tempFolder } from '../../support/temp-folder'

const exec = promisify(execFile)
const CLI = resolve(import.meta.dirname, '../../../out/cli/keywarden.cjs')
const running: ChildProcess[] = []
afterEach(async () => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL')
})

/** The built command line, as a person runs it, in its own HOME and data folder. */
async function person() {
  const root = await tempFolder('kw-cli-sandbox-')
  const home = join(root, 'home')
  await mkdir(home, { recursive: true })
  const env = { ...process.env, HOME: home, KEYWARDEN_DATA_DIR: join(root, 'data'), XDG_CONFIG_HOME: join(home, '.config') }
  const run = (...args: string[]) =>
    exec(process.execPath, [CLI, ...args], { env, timeout: 60_000 }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr })
    )
  /** `keywarden sandbox` in another terminal: resolves once it says where it serves. */
  const serve = async (extra: string[] = []) => {
    const child = spawn(process.execPath, [CLI, 'sandbox', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    running.push(child)
    let out = ''
    await new Promise<void>((ok, fail) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('Serving')) ok()
      })
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
      child.on('exit', () => fail(new Error(`keywarden sandbox ended: ${out}`)))
    })
    const origin = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!
    return {
      origin,
      stop: () =>
        new Promise<number | null>((ok) => {
          child.on('exit', (code) => ok(code))
          child.kill('SIGTERM')
        })
    }
  }
  return { home, run, serve, env, dataDir: join(root, 'data') }
}

describe('the Local sandbox from the command line alone', () => {
  it('refuses to bind a client to a sandbox that stops with the command, and says what to run', async () => {
    const p = await person()
    expect((await p.run('keys', 'create', '--name', 'cli only')).code).toBe(0)
    const refused = await p.run('inject', 'cli only', '--client', 'claude-code', '--yes')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('running only for this command')
    // This vault is not the default one: the command given serves this one, not another.
    expect(refused.err).toContain(`keywarden sandbox --data-dir ${JSON.stringify(p.dataDir)}`)
    await expect(readFile(join(p.home, '.claude.json'), 'utf8')).rejects.toThrow()
  })

  it('a relative --data-dir means the folder under where the command ran, and entries name it in full', async () => {
    const p = await person()
    const rel = { ...p, env: { ...p.env, KEYWARDEN_DATA_DIR: '' } }
    const run = (...args: string[]) =>
      exec(process.execPath, [CLI, ...args], { env: rel.env, cwd: p.home, timeout: 60_000 }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr })
      )
    expect((await run('keys', 'create', '--name', 'rel', '--data-dir', 'vault-here')).code).toBe(0)
    const sandbox = await p.serve(['--data-dir', join(p.home, 'vault-here')])
    const added = await run('inject', 'rel', '--client', 'cursor', '--placement', 'bridge', '--yes', '--data-dir', 'vault-here')
    expect(added.code, added.err).toBe(0)
    const entry = (
      JSON.parse(await readFile(join(p.home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, { args: string[] }> }
    ).mcpServers
    const args = Object.values(entry)[0]!.args
    expect(args[args.indexOf('--data-dir') + 1]).toBe(join(p.home, 'vault-here'))
    await sandbox.stop()
  })

  it('`keywarden sandbox` keeps it on the saved port: a client bound while it runs can connect, also between commands', async () => {
    const p = await person()
    expect((await p.run('keys', 'create', '--name', 'served')).code).toBe(0)
    const sandbox = await p.serve()
    const added = await p.run('inject', 'served', '--client', 'claude-code', '--placement', 'inline', '--yes')
    expect(added.code, added.err).toBe(0)
    expect(added.out).toContain('The Local sandbox answers only while Keywarden runs')
    // After that command ended, the entry it wrote still reaches a sandbox that lets its key in.
    const entry = (
      JSON.parse(await readFile(join(p.home, '.claude.json'), 'utf8')) as {
        mcpServers: Record<string, { url: string; headers: Record<string, string> }>
      }
    ).mcpServers
    const [server] = Object.values(entry)
    expect(server!.url.startsWith(sandbox.origin)).toBe(true)
    const probe = await probeMcp({
      url: server!.url,
      header: { name: 'Authorization', value: server!.headers['Authorization']! },
      serviceName: 'sandbox'
    })
    expect(probe.valid, probe.message).toBe(true)
    // A second `keywarden sandbox` finds it running and leaves it.
    const again = await p.run('sandbox')
    expect(again.code).toBe(0)
    expect(again.out).toContain('already running')
    expect(await sandbox.stop()).toBe(0)
  })
})
