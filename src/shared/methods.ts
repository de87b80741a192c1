// The contract's method names and channels without its schemas, for the preload: a sandboxed
// preload is bundled whole, and the names are all it needs. `contract.ts` checks at compile time
// that this list and its table name the same methods.

export const methodNames = [
  'app.status',
  'app.openExternal',
  'providers.list',
  'providers.catalog',
  'providers.test',
  'providers.connect',
  'providers.remove',
  'providers.update',
  'providers.exportCustom',
  'providers.importCustom',
  'providers.parseCustom',
  'providers.setRotationDays',
  'keys.recognise',
  'keys.import',
  'keys.list',
  'keys.sync',
  'keys.create',
  'keys.revoke',
  'keys.setActive',
  'keys.validate',
  'keys.due',
  'keys.copy',
  'keys.reveal',
  'keys.forget',
  'keys.undoForget',
  'keys.update',
  'rotations.list',
  'rotations.plan',
  'rotations.start',
  'rotations.resume',
  'rotations.rollback',
  'rotations.provideNewKey',
  'rotations.confirmRevoked',
  'rotations.confirmEntered',
  'clients.scan',
  'clients.list',
  'bindings.list',
  'bindings.preview',
  'bindings.checkName',
  'bindings.apply',
  'bindings.remove',
  'bindings.adopt',
  'bindings.importFound',
  'changes.list',
  'changes.undo',
  'findings.scan',
  'findings.progress',
  'findings.folders',
  'findings.secure',
  'findings.revalidate',
  'findings.undo',
  'activity.list',
  'bindings.drift',
  'bindings.repairPreview',
  'bindings.repair',
  'settings.get',
  'app.pickFolder',
  'bindings.previewMove',
  'clients.testServer',
  'settings.update'
] as const

export type MethodName = (typeof methodNames)[number]

/** The IPC channel that carries a method; the only place channel names are made. */
export function channelOf(method: MethodName): string {
  return `keywarden:${method}`
}

/** The channel on which the main process pushes events to the window. */
export const EVENT_CHANNEL = 'keywarden:event'

/** The kinds of event the main process pushes; the preload passes on only these. */
export const eventTypes = [
  'keys.changed',
  'providers.changed',
  'rotations.changed',
  'bindings.changed',
  'settings.changed',
  /** A rotation's step or one client's update as it happens (carries what the wizard shows). */
  'rotation.progress',
  /** The person clicked the reminder notification: the window shows the keys due for rotation. */
  'reminder.open'
] as const

/** The fields a rotation.progress event carries; the preload passes on these and no others. */
export const progressFields = ['rotationId', 'keyId', 'state', 'message', 'bindingId', 'bindingStatus'] as const
