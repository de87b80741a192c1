import { describe, expect, it } from 'vitest'
import { dueKeys, reminderDue, reminderText } from '../../../src/main/rotation/policy'
import type { KeyMeta, Provider } from '../../../src/shared/schemas'
import { tempFolder } from '../../support/temp-folder'

const at = new Date('2026-11-22T12:00:00.000Z')
const daysAgo = (d: number) => new Date(at.getTime() - d * 86_400_000).toISOString()
const key = (over: Partial<KeyMeta>): KeyMeta => ({
  id: 'k',
  providerId: 'p',
  name: 'k',
  prefix: 'vib_1234',
  createdAt: daysAgo(10),
  status: 'active',
  inVault: true,
  addedAt: daysAgo(10),
  ...over
})
const provider = (over: Partial<Provider> = {}): Provider => ({
  id: 'p',
  kind: 'vibexp',
  name: 'VibeXP',
  createdAt: daysAgo(100),
  sync: {},
  ...over
})

describe('rotation policy', () => {
  it('flags keys older than 90 days by default, or the provider’s own age', () => {
    const keys = [key({ id: 'old', createdAt: daysAgo(91) }), key({ id: 'young', createdAt: daysAgo(30) })]
    expect(dueKeys(keys, [provider()], 90, at).map((d) => [d.keyId, d.reason, d.days])).toEqual([['old', 'age', 91]])
    expect(dueKeys(keys, [provider({ rotationDays: 30 })], 90, at).map((d) => d.keyId)).toEqual(['old', 'young'])
  })

  it('flags keys expiring within two weeks and expired ones, ignoring revoked and foreign keys', () => {
    const keys = [
      key({ id: 'soon', expiresAt: new Date(at.getTime() + 5 * 86_400_000).toISOString() }),
      key({ id: 'gone', expiresAt: daysAgo(1), status: 'expired' }),
      key({ id: 'revoked', createdAt: daysAgo(400), status: 'revoked' }),
      key({ id: 'foreign', createdAt: daysAgo(400), inVault: false })
    ]
    expect(dueKeys(keys, [provider()], 90, at).map((d) => [d.keyId, d.reason])).toEqual([
      ['soon', 'expiry'],
      ['gone', 'expired']
    ])
  })

  it('reminds at most once a day, and only when something is due', () => {
    const due = dueKeys([key({ createdAt: daysAgo(120) })], [provider()], 90, at)
    expect(reminderDue(due, undefined, at)).toBe(true)
    expect(reminderDue(due, daysAgo(0.5), at)).toBe(false)
    expect(reminderDue(due, daysAgo(1), at)).toBe(true)
    expect(reminderDue([], undefined, at)).toBe(false)
    expect(reminderText(due)).toEqual({ title: 'A key is due for rotation', body: '"k" is 120 days old (rotate every 90).' })
  })
})

describe('rotation reminders', () => {
  it('sends one desktop notification a day while keys are due, remembered across restarts', async () => {
    const { openVault } = await import('../../../src/main/vault/vault')
    const { startReminders } = await import('../../../src/main/rotation/reminders')
    const dir = await tempFolder('kw-remind-')
    const vault = await openVault(dir)
    await vault.providers.add(provider())
    await vault.keys.add(key({ createdAt: daysAgo(200) }))
    const sent: string[] = []
    let now = at
    const run = async () => {
      const stop = startReminders({
        vault: await openVault(dir),
        notify: (m) => sent.push(m.title),
        now: () => now,
        intervalMs: 1e9
      })
      // The check runs in the background: give a busy machine time to write and notify.
      await new Promise((r) => setTimeout(r, 400))
      stop()
    }
    await run()
    await run()
    expect(sent).toEqual(['A key is due for rotation'])
    now = new Date(at.getTime() + 25 * 3_600_000)
    await run()
    expect(sent).toHaveLength(2)
  })
})
