import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { stat } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { KeywardenError } from '../../shared/errors'
import type { Binding, BindingPreview, ClientId, InjectInput, KeyMeta, Placement, Provider } from '../../shared/schemas'
import type { ProviderAdapter } from '../providers/adapter'
import type { BindingWriter } from './writer'
import type { BackupStore, ChangeRecord, UndoStep } from '../mcp-config/files/backups'
import type { ServerSpec } from '../mcp-config/document/entries'
import { bareKey, entryCommand, headerValue, heldKey, ownEntry, readServerEntry } from '../mcp-config/server-entry'
import { createBindingDiscovery } from './discovery'
import { bindingsToRecordAgain } from './undo-bindings'
import {
  applyPlan,
  freeName,
  openLocation,
  planAdd,
  planRemove,
  planSetHeader,
  readContainer,
  undoChange,
  type Plan
} from '../mcp-config/plan'
import { sameProject, type ConfigLocation, type PathContext } from '../mcp-config/paths'
import { clientScopeLabel, describeClient, locationFor, otherReaders, placementsFor } from '../mcp-config/clients'
import { envVarName } from '../mcp-config/placements'
import { inWords } from '../mcp-config/clients/client'
import type { Vault } from '../vault/vault'
import { accounts, type SecretStore } from '../vault/secret-store'
import { fingerprint, maskSecret } from '../vault/fingerprint'
import { shapeOf } from '../findings/key-shapes'
import type { ActivityRecorder } from '../activity/recorder'
import { quoted } from '../../shared/input-errors'

export type { InjectInput }

interface PendingPlan {
  plan: Plan
  binding: Binding
  expires: number
  /** Moving an entry to the keychain: the binding this one takes the place of. */
  replaces?: string
}

/**
 * Puts managed keys into MCP client configs and remembers where (bindings): preview first, then
 * apply exactly what was previewed, undo on request, and find entries pasted by hand.
 */
export function createBindingsService(deps: {
  vault: Vault
  secrets: SecretStore
  backups: BackupStore
  adapterFor: (provider: Provider) => ProviderAdapter
  paths: PathContext
  /** How the app starts its own command line, for Claude Code's headersHelper. */
  helperCommand: (bindingId: string) => string
  /** Checks and stores a key found in a client's file (the same path as a pasted key). */
  importKey: (value: string, name: string) => Promise<KeyMeta>
  /** The stdio command a client launches for the keychain bridge: an absolute program and its arguments. */
  bridgeCommand?: (bindingId: string) => { command: string; args: string[] }
  /** Said in every preview of a helper or bridge entry (written from a development tree). */
  commandNote?: string
  /** The Local sandbox as this process reaches it, and whether it outlives the command (see sandbox-link.ts). */
  sandbox?: () => { url: string; lasting: boolean } | undefined
  /** The command that serves this vault's sandbox from a terminal (with its --data-dir when not the default). */
  sandboxCommand?: string
  now?: () => Date
  /** Where each write and undo is recorded. */
  activity?: ActivityRecorder
}) {
  const now = deps.now ?? (() => new Date())
  const { vault } = deps
  const pending = new Map<string, PendingPlan>()

  const keyOf = (keyId: string): KeyMeta => vault.keys.get(keyId)
  // The vault says whether the key may gain a binding now (not while a rotation holds it).
  const refuseWhileRotating = (key: KeyMeta) => vault.bindings.checkCanAdd(key.id)
  const providerOf = (key: KeyMeta): Provider => vault.providers.get(key.providerId)
  const location = (client: ClientId, scope: string, projectPath?: string): ConfigLocation => {
    const l = locationFor(deps.paths, client, scope, projectPath)
    if (!l)
      throw new KeywardenError('invalid-input', `${client} has no ${quoted(scope)} scope${projectPath ? '' : ' without a project folder'}.`)
    return l
  }
  // An existing entry is where it was written, whatever this process's environment says now.
  const locationOfBinding = (b: Binding): ConfigLocation => ({ ...location(b.client, b.scope, b.projectPath), file: b.file })

  function defaultName(provider: Provider, key: KeyMeta): string {
    const base = `${provider.name}-${key.name}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
    return base.slice(0, 60) || 'keywarden'
  }

  /**
   * A client bound to the Local sandbox needs it running whenever the client connects. A sandbox
   * this command started privately stops when the command ends: binding to it is refused, saying
   * what to run instead. Otherwise the preview says what keeps it reachable.
   */
  function sandboxReach(loc: ConfigLocation): string {
    const sandbox = deps.sandbox?.()
    const port = sandbox ? new URL(sandbox.url).port : undefined
    if (sandbox && !sandbox.lasting)
      throw new KeywardenError(
        'unsupported',
        `The Local sandbox is running only for this command, so ${describeClient(loc.client).label} would find nothing on port ${port} once it ends. Open the Keywarden app, or run \`${deps.sandboxCommand ?? 'keywarden sandbox'}\` in another terminal (it serves this vault's sandbox on port ${port} until you stop it), then run this again.`
      )
    return `The Local sandbox answers only while Keywarden runs (the app, or \`keywarden sandbox\` in a terminal)${port ? ` on port ${port}` : ''}: ${describeClient(loc.client).label} cannot connect to it otherwise.`
  }

  const sharedFileNotes = (loc: ConfigLocation, placement: Placement) => sharedFileNotesFor(deps.paths, loc, placement)

  const discovery = createBindingDiscovery({ vault, paths: deps.paths, location, keyOf, now, importKey: deps.importKey })

  /**
   * A server name is written in plain text into the client's file, Keywarden's records and its
   * activity log: a key pasted into the name field (one the vault holds, or any known key format)
   * is refused, masked, before anything is written.
   */
  function refuseKeyShapedName(name: string, suggestion: string): void {
    const held = vault.keys.withFingerprint(fingerprint(name))
    const shape = shapeOf(name)
    if (!held && !shape) return
    throw new KeywardenError(
      'invalid-input',
      `The server name "${maskSecret(name)}" is ${held ? `the key "${held.name}"` : `a ${shape!.service} key`}, and a server name is written into the client's file as plain text. Choose a name such as "${suggestion}". Nothing was written.`
    )
  }

  /**
   * The server name an entry would get at a location. A name already taken is never changed
   * silently: the person is offered a free one to confirm (or refused, when previewing). The same
   * key added again to the same location is reported as already there.
   */
  async function checkName(
    loc: ConfigLocation,
    key: KeyMeta,
    provider: Provider,
    wanted: string | undefined,
    options: { refuse: boolean }
  ) {
    if (wanted?.trim()) refuseKeyShapedName(wanted.trim(), defaultName(provider, key))
    const { names } = await openLocation(loc, { home: deps.paths.home })
    // A second entry for the same key is allowed only under a name the person chose.
    const already = vault.bindings
      .list()
      .find(
        (b) =>
          b.keyId === key.id &&
          b.client === loc.client &&
          b.scope === loc.scope &&
          b.file === loc.file &&
          sameProject(b.projectPath, loc.projectPath, deps.paths.platform) &&
          names.includes(b.serverName) &&
          (!wanted?.trim() || wanted.trim() === b.serverName)
      )
    if (already)
      throw new KeywardenError('conflict', `"${key.name}" is already in ${loc.label}, as "${already.serverName}". Nothing to add.`)
    const serverName = wanted?.trim() || defaultName(provider, key)
    if (!names.includes(serverName)) return { serverName, taken: false as const }
    const suggested = freeName(serverName, names)
    // The file may be another client's too: an entry Keywarden added for that client is named as such.
    const ours = vault.bindings.list().find((b) => b.file === loc.file && b.serverName === serverName)
    if (options.refuse)
      throw new KeywardenError(
        'conflict',
        `${loc.label} already has a server named "${serverName}"${ours ? `, which Keywarden added for ${clientScopeLabel(ours.client, ours.scope)}` : ' that Keywarden did not add'}. Choose another name, e.g. "${suggested}".`
      )
    return { serverName, taken: true as const, suggested }
  }

  /**
   * The entry Keywarden writes for a binding, in its placement, with what the person should know
   * about it: what "Add to…" previews, what a drift repair writes back, what "secure it" moves an
   * entry to.
   */
  async function entrySpec(
    b: Pick<Binding, 'id' | 'keyId' | 'client' | 'scope' | 'serverName' | 'url' | 'placement' | 'envVar'>,
    loc: ConfigLocation,
    notes: string[] = []
  ): Promise<ServerSpec> {
    const key = keyOf(b.keyId)
    const provider = providerOf(key)
    const { serverName, placement } = b
    const spec: ServerSpec = { name: serverName, url: b.url, header: deps.adapterFor(provider).header, placement }
    if (placement === 'inline') {
      spec.secret = (await deps.secrets.get(accounts.key(key.id))) ?? undefined
      if (!spec.secret) throw new KeywardenError('not-found', `The keychain has no value for "${key.name}".`)
      notes.push(
        'The key will be written into this file as plain text (a plaintext copy). Keywarden makes the file owner-only and shows it as a copy to rotate.'
      )
      if (b.client.startsWith('vscode') && b.scope === 'user')
        notes.push('Settings Sync may copy this file to the cloud; the "Ask once" placement keeps the key out of it.')
      if (SHARED_SCOPES.has(b.scope))
        notes.push(
          `${loc.file} sits in the project folder and is often committed to git: the key would go wherever the repository goes. Prefer a user or local scope for a key in the file.`
        )
    } else if (placement === 'helper') {
      spec.helperCommand = deps.helperCommand(b.id)
      notes.push(
        `${describeClient(b.client).label} will run Keywarden to fetch the key from your keychain each time it connects: nothing secret is written to the file, and rotation changes no file.`
      )
      if (b.client === 'claude-code' && b.scope === 'local')
        notes.push(
          'Claude Code runs the helper only once you have trusted this folder: open Claude Code in it and accept the trust prompt first.'
        )
      if (b.client === 'claude-code' && b.scope === 'project')
        notes.push(
          "Claude Code asks you to approve servers from a project's .mcp.json (and to trust the folder) before it runs the helper: approve it when Claude Code asks."
        )
    } else if (placement === 'bridge') {
      if (!deps.bridgeCommand) throw new KeywardenError('unsupported', 'The keychain bridge is not available in this build of Keywarden.')
      spec.bridge = deps.bridgeCommand(b.id)
      notes.push(
        `${describeClient(b.client).label} will start Keywarden's bridge, which connects to the server with the key read from your keychain: nothing secret is in the file, its arguments or its environment, and a rotation changes no file.`
      )
      if (b.client === 'claude-code' && b.scope === 'project')
        notes.push(
          "Claude Code asks you to approve servers from a project's .mcp.json before it starts them: approve it when Claude Code asks."
        )
    } else if (placement === 'env') {
      spec.envVar = b.envVar ?? envVarName(defaultName(provider, key))
      notes.push(
        `The file names only the variable ${spec.envVar}. Start ${describeClient(b.client).label} with \`keywarden run --client ${b.client} -- ${describeClient(b.client).command ?? '<its command>'}\` so the key reaches it from your keychain; every program it starts can read the variable.`
      )
    } else if (placement === 'input') {
      spec.input = { id: `${serverName}-key`, description: `${provider.name} API key (${key.name})` }
      notes.push('VS Code will ask for the key once and keep it encrypted in its own storage. Copy the key from Keywarden when it asks.')
    } else {
      throw new KeywardenError('unsupported', `Keywarden cannot write the "${placement}" placement yet; choose another one.`)
    }
    if ((b.placement === 'helper' || b.placement === 'bridge') && deps.commandNote) notes.push(deps.commandNote)
    return spec
  }

  /** Plans adding a key to a client (or, with `replacing`, rewriting that binding's entry in place). */
  async function preview(input: InjectInput, replacing?: Binding): Promise<BindingPreview> {
    const key = keyOf(input.keyId)
    // A revoked key's value is gone too: its state is what the person needs to hear.
    if (key.status !== 'active')
      throw new KeywardenError('conflict', `"${key.name}" is ${key.status}; only active keys can be added to clients.`)
    if (!key.inVault) throw new KeywardenError('conflict', `"${key.name}" is not in this vault; import its value first.`)
    refuseWhileRotating(key)
    const provider = providerOf(key)
    const adapter = deps.adapterFor(provider)
    if (!adapter.mcpUrl)
      throw new KeywardenError('unsupported', `${provider.name} has no MCP server URL. Add it in the provider's settings first.`)
    const loc = location(input.client, input.scope, input.projectPath)
    // A typo in a project path would otherwise create a whole tree of folders no client reads.
    // (A relative path is refused further on, in words of its own.)
    if (loc.projectPath && isAbsolute(loc.projectPath) && !replacing && !(await isFolder(loc.projectPath)))
      throw new KeywardenError(
        'invalid-input',
        `The project folder ${JSON.stringify(loc.projectPath)} does not exist. Choose a folder that exists; nothing was written.`
      )
    const sandboxNote = provider.kind === 'sandbox' ? sandboxReach(loc) : undefined
    const placement = input.placement ?? placementsFor(input.client)[0]!
    if (!placementsFor(input.client).includes(placement)) {
      throw new KeywardenError(
        'invalid-input',
        `${loc.label} cannot use the "${placement}" placement; choose ${inWords(placementsFor(input.client))}.`
      )
    }
    const { serverName } = replacing
      ? { serverName: replacing.serverName }
      : await checkName(loc, key, provider, input.serverName, { refuse: true })
    const bindingId = randomUUID()
    const notes: string[] = []
    const spec = await entrySpec(
      { id: bindingId, keyId: key.id, client: input.client, scope: input.scope, serverName, url: adapter.mcpUrl, placement },
      loc,
      notes
    )
    const plan = await planAdd(loc, spec, { home: deps.paths.home, replaceExisting: Boolean(replacing) })
    notes.push(...sharedFileNotes(loc, placement))
    if (plan.linkNote) notes.push(plan.linkNote)
    if (sandboxNote) notes.push(sandboxNote)
    const planId = randomUUID()
    const binding: Binding = {
      id: bindingId,
      keyId: key.id,
      client: input.client,
      scope: input.scope,
      file: loc.file,
      projectPath: loc.projectPath,
      serverName,
      url: adapter.mcpUrl,
      placement,
      ...(spec.envVar ? { envVar: spec.envVar } : {}),
      createdAt: now().toISOString()
    }
    pending.set(planId, { plan, binding, expires: Date.now() + 10 * 60 * 1000, replaces: replacing?.id })
    return { planId, file: plan.target, serverName, placement, diff: plan.diff, notes }
  }

  return {
    ...discovery,

    async adopt(input: Parameters<typeof discovery.adopt>[0]): Promise<Binding> {
      refuseWhileRotating(keyOf(input.keyId))
      return discovery.adopt(input)
    },

    preview: (input: InjectInput) => preview(input),

    /**
     * Plans moving a plain-text entry to the keychain: the same server, rewritten in place with the
     * strongest placement its client supports, as one change with one undo.
     */
    async previewMove(bindingId: string): Promise<BindingPreview> {
      const b = vault.bindings.get(bindingId)
      const loc = locationOfBinding(b)
      if (b.placement !== 'inline') throw new KeywardenError('conflict', `"${b.serverName}" already keeps its key out of the file.`)
      const placement = placementsFor(b.client).find((p) => p !== 'inline' && p !== 'env')
      if (!placement)
        throw new KeywardenError(
          'unsupported',
          `${loc.label} can only hold the key in its file; Keywarden has no keychain placement for it yet.`
        )
      return preview(
        { keyId: b.keyId, client: b.client, scope: b.scope, projectPath: b.projectPath, placement, serverName: b.serverName },
        b
      )
    },

    async apply(planId: string): Promise<{ binding: Binding; changeId: string }> {
      const p = pending.get(planId)
      if (!p || p.expires < Date.now()) throw new KeywardenError('not-found', 'That preview has expired; preview the change again.')
      pending.delete(planId)
      refuseWhileRotating(keyOf(p.binding.keyId))
      const changeId = await applyPlan(p.plan, deps.backups)
      await deps.activity?.planWritten(p.plan, changeId)
      if (p.replaces) await vault.bindings.replace(p.replaces, p.binding)
      else await vault.bindings.add(p.binding)
      return { binding: p.binding, changeId }
    },

    list: (): Binding[] => vault.bindings.list(),

    /**
     * The command a client starts for a binding's local entry, read from its file as written (not
     * as Keywarden would write it now): what a rotation's check runs. Undefined when the entry is
     * gone or starts nothing.
     */
    async writtenCommand(binding: Binding): Promise<{ command: string; args: string[] } | undefined> {
      return entryCommand(ownEntry((await readContainer(locationOfBinding(binding))).servers, binding.serverName))
    },

    /** The headers helper's command line as written in a binding's entry (Claude Code, Codex). */
    async writtenHelper(binding: Binding): Promise<string | undefined> {
      return readServerEntry(ownEntry((await readContainer(locationOfBinding(binding))).servers, binding.serverName))?.helperCommand
    },

    /** The entry Keywarden would write for a binding now (a drift check compares the file with it). */
    specFor: (binding: Binding): Promise<ServerSpec> => entrySpec(binding, locationOfBinding(binding)),

    /** The entry for a new binding of a key, in a placement, at a location (for "secure it"). */
    specForNew: (binding: Omit<Binding, 'createdAt'>): Promise<ServerSpec> =>
      entrySpec(binding, location(binding.client, binding.scope, binding.projectPath)),

    /** Whether a server name is free at a location, and a free one to offer when it is not. */
    async checkName(input: InjectInput): Promise<{ serverName: string; taken: boolean; suggested?: string }> {
      const key = keyOf(input.keyId)
      return checkName(location(input.client, input.scope, input.projectPath), key, providerOf(key), input.serverName, { refuse: false })
    },

    /**
     * Takes a binding's entry out of its client's file and forgets the binding. An entry already
     * gone (the file deleted, or the server taken out by hand) leaves nothing to write: the binding
     * is forgotten and the answer says so, with no change to undo and no file created. A file
     * Keywarden cannot read is refused as usual: it never writes over what it cannot parse.
     */
    async remove(bindingId: string): Promise<RemovedBinding> {
      const b = vault.bindings.get(bindingId)
      const loc = locationOfBinding(b)
      let plan: Plan
      try {
        plan = await planRemove(loc, b.serverName, { home: deps.paths.home })
      } catch (error) {
        if (!(error instanceof KeywardenError && error.code === 'not-found')) throw error
        await vault.bindings.forget([bindingId])
        return {
          alreadyGone: true,
          message: `"${b.serverName}" was already gone from ${b.file}, so nothing was written there; Keywarden no longer records it (${clientScopeLabel(b.client, b.scope)}).`
        }
      }
      const changeId = await applyPlan(plan, deps.backups, { bindings: [b] })
      await deps.activity?.planWritten(plan, changeId)
      await vault.bindings.forget([bindingId])
      return { changeId }
    },

    changes: () => deps.backups.list(),

    /**
     * Undoes a change to a config file; a binding that change created is forgotten with it, and one
     * whose entry it removed is recorded again (see undo-bindings.ts). `asBefore`: the undo puts
     * back a state the vault had a moment ago (a key removal being undone), revoked keys included.
     */
    async undo(changeId: string, options: { asBefore?: boolean } = {}): Promise<{ ok: true }> {
      const change = await deps.backups.get(changeId)
      const data = change && !change.undone ? await deps.backups.undoData(changeId) : undefined
      if (change && !change.undone && !options.asBefore) refuseStaleKeys(change, data?.steps ?? [])
      const back = change && !change.undone ? bindingsToRecordAgain(vault, change, data, options) : []
      await undoChange(changeId, deps.backups, { ownEdit: differsOnlyInManagedKeys })
      for (const b of back) if (!vault.bindings.find(b.id) && (await stillThere(b))) await vault.bindings.add(b)
      if (change) await deps.activity?.undone(change)
      if (change) {
        const after = await Promise.all(
          vault.bindings.list().map(async (b) => ({ b, present: b.file !== change.file || (await stillThere(b)) }))
        )
        const gone = new Set(after.filter((x) => !x.present).map((x) => x.b.id))
        await vault.bindings.forget([...gone])
        // Undoing a move to the keychain puts the plain-text entry back: the binding says so again,
        // so a rotation writes the new key into that file.
        const placed = new Map<string, Placement>()
        for (const { b } of after) {
          if (b.file !== change.file || gone.has(b.id)) continue
          const now = await placementIn(b)
          if (now && now !== b.placement) placed.set(b.id, now)
        }
        await vault.bindings.setPlacements(placed)
      }
      return { ok: true }
    },

    /**
     * Rotation's way into the files: set an inline entry's key to a given value. Setting the value
     * it already holds writes nothing, so a step repeated after a crash is harmless. An entry that
     * no longer points at the binding's URL, or holds a key other than the expected ones, was
     * changed by someone: it is refused, never overwritten.
     */
    inlineWriter(): BindingWriter {
      const entryOf = async (binding: Binding) => {
        const loc = locationOfBinding(binding)
        const entry = readServerEntry(ownEntry((await readContainer(loc)).servers, binding.serverName))
        if (!entry) throw new KeywardenError('not-found', `${loc.label} no longer has a server named "${binding.serverName}".`)
        return { loc, entry }
      }
      const setKey = async (binding: Binding, value: string, others: string[] = []): Promise<string | undefined> => {
        const adapter = deps.adapterFor(providerOf(keyOf(binding.keyId)))
        const plan = await planSetHeader(
          locationOfBinding(binding),
          binding.serverName,
          adapter.header.name,
          headerValue(adapter.header, value),
          [value, ...others],
          { home: deps.paths.home }
        )
        if (plan.after === plan.before) return undefined
        const changeId = await applyPlan(plan, deps.backups)
        await deps.activity?.planWritten(plan, changeId)
        return changeId
      }
      return {
        update: async (binding, newValue, expect) => {
          if (expect?.oldFingerprint) {
            const { loc, entry } = await entryOf(binding)
            const url = entry.url
            const held = heldKey(entry, deps.adapterFor(providerOf(keyOf(binding.keyId))).header.name)
            if (url !== binding.url) {
              throw new KeywardenError(
                'conflict',
                `"${binding.serverName}" in ${loc.label} now points at ${url ?? 'no URL'} instead of ${binding.url}, so Keywarden did not write the new key there. Point it back or delete that entry, then continue.`
              )
            }
            if (held !== newValue && (!held || fingerprint(held) !== expect.oldFingerprint)) {
              throw new KeywardenError(
                'conflict',
                `"${binding.serverName}" in ${loc.label} holds ${held ? `another key (${maskSecret(held)})` : 'no key'} instead of the one being rotated, so Keywarden left it alone. Put the old key back or delete that entry, then continue.`
              )
            }
            if (held === newValue) return {}
          }
          return { changeId: await setKey(binding, newValue) }
        },
        restore: async (binding, oldValue, expect) => {
          if (expect?.newValue) {
            const { entry } = await entryOf(binding)
            // Only the new key is taken back out; a value someone else put there stays.
            if (heldKey(entry, deps.adapterFor(providerOf(keyOf(binding.keyId))).header.name) !== expect.newValue) return
          }
          await setKey(binding, oldValue, expect?.newValue ? [expect.newValue] : [])
        },
        read: async (binding) => {
          const { entry } = await entryOf(binding)
          return { url: entry.url, headers: { ...entry.headers } }
        }
      }
    }
  }

  /**
   * An undo puts back the values a change replaced. One of them may be a key the vault has since
   * revoked (rotated away), or a key the entry's clients no longer use: writing it would leave the
   * file and the vault disagreeing, so the undo is refused, saying which key and why.
   */
  function refuseStaleKeys(change: ChangeRecord, steps: UndoStep[]): void {
    for (const step of steps) {
      for (const fp of fingerprintsIn(step.before)) {
        const key = vault.keys.withFingerprint(fp)
        if (!key) continue
        const moved = vault.bindings.list().filter((b) => b.file === change.file && step.path.includes(b.serverName) && b.keyId !== key.id)
        if (key.status !== 'revoked' && moved.length === 0) continue
        const now = moved.map((b) => `"${b.serverName}" uses "${vault.keys.find(b.keyId)?.name ?? 'another key'}" now`)
        const why =
          key.status === 'revoked'
            ? 'that key is revoked (its service no longer accepts it)'
            : 'the vault records that entry on another key now'
        throw new KeywardenError(
          'conflict',
          `Undoing "${change.summary}" would put "${key.name}" (${key.prefix}…) back into ${change.file}, but ${why}.${now.length ? ` ${now.join('; ')}.` : ''} Nothing was changed; edit the entry in Keywarden instead.`
        )
      }
    }
  }

  /**
   * Whether an entry differs from what Keywarden wrote only in which of the vault's keys it holds:
   * a rotation's doing, not the person's.
   */
  function differsOnlyInManagedKeys(now: unknown, written: unknown): boolean {
    const managed = (value: string) => {
      const bare = bareKey(value)
      return bare.length >= 8 && vault.keys.withFingerprint(fingerprint(bare)) !== undefined
    }
    const blank = (value: unknown): unknown =>
      typeof value === 'string'
        ? managed(value)
          ? value.slice(0, value.length - bareKey(value).length) + '\u0000key'
          : value
        : Array.isArray(value)
          ? value.map(blank)
          : value && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v)]))
            : value
    return now !== undefined && written !== undefined && isDeepStrictEqual(blank(now), blank(written))
  }

  /** The placement a binding's entry has in its file now, when it is one Keywarden writes. */
  async function placementIn(b: Binding): Promise<Placement | undefined> {
    try {
      const entry = readServerEntry(ownEntry((await readContainer(locationOfBinding(b))).servers, b.serverName))
      return entry && entry.placement !== 'other' ? entry.placement : undefined
    } catch {
      return undefined
    }
  }

  async function stillThere(b: Binding): Promise<boolean> {
    try {
      const { servers } = await readContainer(locationOfBinding(b))
      return Object.hasOwn(servers, b.serverName)
    } catch {
      return true
    }
  }
}

/**
 * What the preview says when other clients read the file too: that they will see the entry, when
 * one of them cannot use its placement, and when creating the file makes one of them stop reading
 * the file it read until now.
 */
function sharedFileNotesFor(paths: PathContext, loc: ConfigLocation, placement: Placement): string[] {
  const { readers, moved } = otherReaders(paths, loc)
  if (!readers.length) return []
  const names = readers.map((r) => describeClient(r.client).label)
  const notes = [`${loc.file} is also ${names.join(' and ')}'s file: ${names.length > 1 ? 'they' : 'it'} will read this entry too.`]
  for (const r of readers)
    if (!placementsFor(r.client).includes(placement))
      notes.push(
        `${describeClient(r.client).label} cannot use the ${placement} placement: it will try this server without a key. The bridge placement works in both.`
      )
  for (const { reader, from } of moved)
    notes.push(
      `Once ${loc.file} exists, ${describeClient(reader.client).label} reads it instead of ${from}: the servers in ${from} no longer reach ${describeClient(reader.client).label} in this folder.`
    )
  return notes
}

/** Fingerprints of every string in a JSON value that could be a key (a header value, an entry's headers). */
function fingerprintsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const bare = bareKey(value)
    if (bare.length >= 8) found.add(fingerprint(bare))
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) fingerprintsIn(v, found)
  }
  return found
}

/** Scopes whose file lives in the project folder, and so often in git. */
const SHARED_SCOPES = new Set(['project', 'workspace'])

export type BindingsService = ReturnType<typeof createBindingsService>

/** What removing a binding did: a recorded change to undo, or nothing to write because the entry was already gone. */
export type RemovedBinding = { changeId: string } | { alreadyGone: true; message: string }

const isFolder = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false
  )
