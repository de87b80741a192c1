import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findingsContextOf } from '../../support/findings-context'
import { scanForKeys } from '../../../src/main/findings/scan'
import { planSecure, secureFindings } from '../../../src/main/findings/secure'
import { secureDeps, undoSecure } from '../../../src/main/findings/secure-wiring'
import { buildVaultIndex, fingerprintKey } from '../../../src/main/findings/vault-index'
import { discoverLocations } from '../../../src/main/mcp-config/scan'
import { accounts } from '../../../src/main/vault/secret-store'
import { scoped } from '../../support/scoped'
import { nonSecretCorpus } from './planted'

const s = scoped({ sandbox: 'start', timeoutMs: 5000 })

/** Every byte Keywarden or the clients keep on disk: the whole temporary home and data folder. */
function grep(root: string, value: string): string[] {
  try {
    return execFileSync('grep', ['-rlF', '--', value, root], { encoding: 'utf8' }).split('\n').filter(Boolean)
  } catch {
    return []
  }
}

describe('securing found keys', () => {
  it('imports a pasted key, moves its entry to the helper, redacts history and transcripts, and undo brings back only the entry', async () => {
    const ctx = await s.ctx()
    const provider = ctx.services.vault.providers.list()[0]!
    // A key made at the service by someone else, pasted into Claude Code and a shell and a transcript.
    const stranger = await ctx.services.adapterFor(provider).createKey!({ name: 'pasted by hand' })
    const value = stranger.value
    const claudeFile = join(ctx.home, '.claude.json')
    const entry = {
      type: 'http',
      url: `${ctx.services.sandbox!.mcpUrl}?team=core`,
      headers: { Authorization: `Bearer ${value}`, 'X-Team': 'core' },
      timeout: 30000
    }
    await mkdir(ctx.home, { recursive: true })
    await writeFile(
      claudeFile,
      JSON.stringify({ numStartups: 3, mcpServers: { sandbox: entry, other: { type: 'http', url: 'https://x.example/mcp' } } }, null, 2)
    )
    const history = `ls\ncurl -H "Authorization: Bearer ${value}" ${ctx.services.sandbox!.mcpUrl}\n${nonSecretCorpus(30)}`
    await writeFile(join(ctx.home, '.bash_history'), history, { mode: 0o600 })
    const transcriptDir = join(ctx.home, '.claude', 'projects', '-home-app')
    await mkdir(transcriptDir, { recursive: true })
    const transcript = `${JSON.stringify({ message: { content: `here:\n${value}\nthanks` } })}\n${JSON.stringify({ message: { content: 'done' } })}\n`
    await writeFile(join(transcriptDir, 's1.jsonl'), transcript, { mode: 0o640 })

    const paths = { home: ctx.home, platform: 'linux' as const, env: {} }
    const index = await buildVaultIndex({
      keys: ctx.services.vault.keys.list(),
      providers: ctx.services.vault.providers.list(),
      readValue: (id) => ctx.secrets.get(accounts.key(id)),
      fpKey: await fingerprintKey(ctx.secrets)
    })
    const scan = await scanForKeys({ ...paths, locations: await discoverLocations(paths) }, { index })
    expect(scan.findings.map((f) => f.source).sort()).toEqual(['client-config', 'shell-history', 'transcript'])
    const deps = secureDeps(findingsContextOf(ctx), index)
    const config = scan.findings.find((f) => f.source === 'client-config')!
    expect(planSecure(config, deps).map((st) => st.kind)).toEqual(['import', 'move', 'rotate'])

    // Redaction is refused without the person's confirmation, and nothing changes.
    await expect(secureFindings(scan.findings, deps, { confirmRedaction: false })).rejects.toThrow(/confirm it first/)
    expect(await readFile(join(ctx.home, '.bash_history'), 'utf8')).toBe(history)

    const outcomes = await secureFindings(scan.findings, deps, { confirmRedaction: true })
    expect(outcomes.find((o) => o.findingId === config.id)).toMatchObject({ done: ['import', 'move'], rotationOffered: true })
    // The value is in the keychain now, and in no file anywhere: configs, history, transcripts, Keywarden's data.
    const key = ctx.services.vault.keys.list().find((k) => k.prefix === value.slice(0, 8))!
    expect(await ctx.secrets.get(accounts.key(key.id))).toBe(value)
    expect(grep(ctx.home, value)).toEqual([])
    expect(grep(ctx.dataDir, value)).toEqual([])
    const claude = JSON.parse(await readFile(claudeFile, 'utf8'))
    expect(claude.mcpServers.sandbox).toEqual({
      type: 'http',
      url: entry.url,
      headersHelper: expect.stringContaining('mcp-headers'),
      headers: { 'X-Team': 'core' },
      timeout: 30000
    })
    expect(claude.mcpServers.other).toEqual({ type: 'http', url: 'https://x.example/mcp' })
    expect(ctx.services.vault.bindings.list()).toEqual([
      expect.objectContaining({ keyId: key.id, placement: 'helper', serverName: 'sandbox' })
    ])
    // History and transcript: masked in place, every line the same length, the file's mode kept.
    const redacted = await readFile(join(ctx.home, '.bash_history'), 'utf8')
    expect(redacted.split('\n').map((l) => l.length)).toEqual(history.split('\n').map((l) => l.length))
    expect(redacted).toContain(`Bearer ${value.slice(0, 8)}${'*'.repeat(value.length - 8)}`)
    expect((await stat(join(transcriptDir, 's1.jsonl'))).mode & 0o777).toBe(0o640)
    expect(await readdir(transcriptDir)).toEqual(['s1.jsonl'])
    const rescan = await scanForKeys({ ...paths, locations: await discoverLocations(paths) }, { index })
    expect(rescan.findings).toEqual([])

    // Undo puts the entry back exactly, its key read from the keychain; the redacted history stays redacted.
    await undoSecure(findingsContextOf(ctx), outcomes.find((o) => o.changeId)!.changeId!)
    expect(JSON.parse(await readFile(claudeFile, 'utf8')).mcpServers.sandbox).toEqual(entry)
    expect(ctx.services.vault.bindings.list()).toEqual([])
    expect(await readFile(join(ctx.home, '.bash_history'), 'utf8')).toBe(redacted)
  })

  it('does not touch an entry someone changed after it was secured', async () => {
    const ctx = await s.ctx()
    const { key, secret } = await ctx.services.keys.create({ providerId: ctx.services.vault.providers.list()[0]!.id, name: 'mine' })
    const file = join(ctx.home, '.claude.json')
    await mkdir(ctx.home, { recursive: true })
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: { s: { type: 'http', url: ctx.services.sandbox!.mcpUrl, headers: { Authorization: `Bearer ${secret}` } } }
      })
    )
    const paths = { home: ctx.home, platform: 'linux' as const, env: {} }
    const index = await buildVaultIndex({
      keys: ctx.services.vault.keys.list(),
      providers: ctx.services.vault.providers.list(),
      readValue: (id) => ctx.secrets.get(accounts.key(id)),
      fpKey: await fingerprintKey(ctx.secrets)
    })
    const scan = await scanForKeys({ ...paths, locations: await discoverLocations(paths), history: false, transcripts: false }, { index })
    expect(scan.findings[0]).toMatchObject({ key: { id: key.id, match: 'exact' }, state: 'active' })
    const [outcome] = await secureFindings(scan.findings, secureDeps(findingsContextOf(ctx), index), { confirmRedaction: false })
    expect(outcome!.done).toEqual(['move'])
    const edited = JSON.parse(await readFile(file, 'utf8'))
    edited.mcpServers.s.headersHelper = 'my-own-helper'
    await writeFile(file, JSON.stringify(edited))
    await expect(undoSecure(findingsContextOf(ctx), outcome!.changeId!)).rejects.toThrow(/changed after Keywarden secured it/)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(edited)
  })
})
