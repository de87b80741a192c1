import { randomUUID } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { z } from 'zod'
import { KeywardenError } from '../../shared/errors'
import type { ActivityFilter } from '../../shared/activity'
import type { ScanProgress, ScanResult } from '../../shared/findings'
import { readActivity } from '../activity/activity-read'
import { activityRecorder } from '../activity/recorder'
import type { BackupStore } from '../mcp-config/files/backups'
import { applyPlan, type Plan } from '../mcp-config/plan'
import { discoverLocations } from '../mcp-config/scan'
import { accounts } from '../vault/secret-store'
import { checkDrift, planRepair } from './drift'
import { driftDeps, type DriftContext } from './drift-wiring'
import { scanForKeys } from './scan'
import { maskPlaces } from './mask-places'
import { fingerprint } from '../vault/fingerprint'
import { secureFindings } from './secure'
import { revalidateFindings } from './revalidate'
import { providerCatalog } from '../providers/catalog'
import { secureDeps, undoSecure, type SecureContext } from './secure-wiring'
import { buildVaultIndex, fingerprintKey } from './vault-index'
import { quoted } from '../../shared/input-errors'

const FOLDERS_FILE = 'scan-folders.json'
const foldersSchema = z.object({ folders: z.array(z.string().min(1).max(4096)).max(50) })

/**
 * The leak scan, "secure it", the activity log and the drift check as the window and the command
 * line call them: one scan's findings are kept so a person can secure them by id, the folders a
 * person adds are remembered in the data folder, and each change is logged.
 */
/** Refuses a folder (or file) being added that is not a full path to something there, saying which and why. */
async function checkNewFolders(folders: string[]): Promise<void> {
  for (const folder of folders) {
    if (!isAbsolute(folder))
      throw new KeywardenError(
        'invalid-input',
        `${quoted(folder)} is not a full path to a folder; give it from the root (such as /home/you/src/project). Nothing was scanned.`
      )
    const info = await stat(folder).catch(() => undefined)
    if (!info || !(info.isDirectory() || info.isFile()))
      throw new KeywardenError(
        'not-found',
        `There is no folder at ${folder} (or Keywarden cannot read it); check the path. Nothing was scanned.`
      )
  }
}

export function createFindingsService(ctx: SecureContext & DriftContext & { backups: BackupStore }, actor: 'window' | 'cli' = 'window') {
  let last: ScanResult | undefined
  let progress: ScanProgress & { running: boolean } = { running: false, filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 }
  const pending = new Map<string, { plan: Plan; bindingId: string; expires: number }>()
  const platform = (['linux', 'darwin', 'win32'] as const).find((p) => p === ctx.platform) ?? 'linux'
  const paths = { home: ctx.home, platform, env: ctx.env }
  const activity = activityRecorder(ctx.dataDir, actor)

  const index = async () =>
    buildVaultIndex({
      keys: ctx.vault.keys.list(),
      providers: ctx.vault.providers.list(),
      readValue: (id) => ctx.secrets.get(accounts.key(id)),
      fpKey: await fingerprintKey(ctx.secrets)
    })

  async function savedFolders(): Promise<string[]> {
    try {
      return foldersSchema.parse(JSON.parse(await readFile(join(ctx.dataDir, FOLDERS_FILE), 'utf8'))).folders
    } catch {
      return []
    }
  }

  return {
    /** Scans every client config, history, transcripts and the folders (saved when given). */
    async scan(input: { folders?: string[]; saveFolders?: boolean; history?: boolean; transcripts?: boolean } = {}) {
      if (progress.running) throw new KeywardenError('conflict', 'A scan is already running; wait for it to finish.')
      const saved = await savedFolders()
      const folders = input.folders ?? saved
      // Only a folder being added is checked: one saved earlier and since gone is noted by the scan
      // instead, so it never turns every later scan into the same error.
      await checkNewFolders(folders.filter((f) => !saved.includes(f)))
      if (input.folders && input.saveFolders !== false)
        await writeFileAtomic(join(ctx.dataDir, FOLDERS_FILE), JSON.stringify({ folders }), { mode: 0o600 })
      progress = { ...progress, running: true, filesDone: 0, bytesDone: 0 }
      try {
        const projects = ctx.vault.bindings.list().flatMap((b) => (b.projectPath ? [b.projectPath] : []))
        const result = await scanForKeys(
          {
            ...paths,
            locations: await discoverLocations(paths, projects),
            folders,
            history: input.history,
            transcripts: input.transcripts
          },
          { index: await index(), onProgress: (p) => (progress = { ...p, running: true }) }
        )
        last = result
        return { ...maskPlaces(result, (token) => ctx.vault.keys.withFingerprint(fingerprint(token)) !== undefined), folders }
      } finally {
        progress = { ...progress, running: false }
      }
    },
    progress: () => progress,
    folders: savedFolders,

    /** Secures copies from the last scan by id; redaction only with the person's confirmation. */
    async secure(input: { findingIds: string[]; confirmRedaction: boolean }) {
      const findings = input.findingIds.map((id) => {
        const f = last?.findings.find((x) => x.id === id)
        if (!f) throw new KeywardenError('not-found', 'That finding is not in the last scan; scan again.')
        return f
      })
      const outcomes = await secureFindings(findings, secureDeps(ctx, await index()), input)
      for (const o of outcomes) {
        const f = findings.find((x) => x.id === o.findingId)!
        await activity.record({
          kind: o.done.includes('redact') ? 'findings.redact' : 'findings.secure',
          key: o.keyId ? { id: o.keyId, name: f.key?.name } : undefined,
          client: f.config?.client,
          server: f.config?.serverName,
          file: f.file,
          detail: o.done.join(', ') + (o.changeId ? ` (change ${o.changeId})` : '')
        })
      }
      if (last) last = { ...last, findings: last.findings.filter((f) => !input.findingIds.includes(f.id)) }
      return outcomes
    },

    /**
     * Checks copies of unknown state with their service, where a provider of that service is
     * connected: "valid" makes them active, a rejection makes them revoked.
     */
    async revalidate(findingIds: string[]) {
      const chosen = (last?.findings ?? []).filter((f) => findingIds.includes(f.id))
      const checked = await revalidateFindings(chosen, {
        index: await index(),
        validate: async (value, finding) => {
          const kind = Object.values(providerCatalog).find((c) => c.label === finding.service)?.kind
          const provider = kind && ctx.vault.providers.list().find((p) => p.kind === kind)
          if (!provider) return undefined
          const answer = await ctx.adapterFor(provider).validateKey(value)
          return answer.valid ? 'active' : 'revoked'
        }
      })
      if (last) last = { ...last, findings: last.findings.map((f) => checked.find((c) => c.id === f.id) ?? f) }
      return checked
    },

    async undoSecure(changeId: string) {
      const entry = await undoSecure(ctx, changeId)
      const summary = `securing of "${entry.serverName ?? ''}"`
      await activity.undone({ id: changeId, file: entry.file, summary, client: entry.client, server: entry.serverName })
      return { ok: true as const }
    },

    activity: (filter: ActivityFilter) => readActivity(ctx.dataDir, filter),

    drift: () => checkDrift(ctx.vault.bindings.list(), driftDeps(ctx)),

    async repairPreview(bindingId: string) {
      const binding = ctx.vault.bindings.get(bindingId)
      const plan = await planRepair(binding, driftDeps(ctx))
      const planId = randomUUID()
      pending.set(planId, { plan, bindingId, expires: Date.now() + 10 * 60 * 1000 })
      return { planId, file: plan.location.file, summary: plan.summary, diff: plan.diff }
    },

    async repair(planId: string) {
      const p = pending.get(planId)
      if (!p || p.expires < Date.now()) throw new KeywardenError('not-found', 'That preview has expired; check the entry again.')
      pending.delete(planId)
      const changeId = await applyPlan(p.plan, ctx.backups)
      await activity.planWritten({ ...p.plan, summary: `Repair: ${p.plan.summary}` }, changeId)
      return { changeId }
    }
  }
}

export type FindingsService = ReturnType<typeof createFindingsService>
