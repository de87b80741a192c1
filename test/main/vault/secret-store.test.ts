import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { countingStore, createKeytarStore } from '../../../src/main/vault/secret-store'

// Runs inside the private keyring session that `npm test` starts (scripts/with-keyring.sh).
describe('keychain secret store', () => {
  const service = `Keywarden-test-${randomUUID()}`

  it('stores, reads and deletes a value in the real Secret Service', async () => {
    const store = createKeytarStore({ service })
    expect(await store.probe()).toEqual({ available: true })
    await store.set('key:abc', 'sbx_value_123')
    expect(await store.get('key:abc')).toBe('sbx_value_123')
    expect(await store.delete('key:abc')).toBe(true)
    expect(await store.get('key:abc')).toBeNull()
  })

  it('is visible to other programs through the Secret Service (it is the OS keychain)', async () => {
    const store = createKeytarStore({ service })
    await store.set('key:shared', 'sbx_seen_by_secret_tool')
    const lookup = spawnSync('secret-tool', ['lookup', 'service', service, 'account', 'key:shared'], { encoding: 'utf8' })
    expect(lookup.stdout).toBe('sbx_seen_by_secret_tool')
    await store.delete('key:shared')
  })

  it('counts reads so the key list can be shown to need none', async () => {
    const store = countingStore(createKeytarStore({ service }))
    await store.get('key:none')
    await store.probe()
    expect(store.reads).toBe(1)
  })

  it('says plainly what to install when no keychain answers, and stores nothing elsewhere', async () => {
    // keytar itself, in a process with no reachable D-Bus session: the same as Linux without a
    // Secret Service.
    const noBus = (method: string, ...args: string[]) =>
      new Promise<never>((_, reject) => {
        const child = spawnSync(
          process.execPath,
          [
            '-e',
            `require('keytar').${method}(...${JSON.stringify(args)}).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1) })`
          ],
          { encoding: 'utf8', env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keywarden-bus' }, timeout: 20_000 }
        )
        reject(new Error(child.stderr.trim() || `exit ${child.status}`))
      })
    const store = createKeytarStore({
      platform: 'linux',
      load: async () => ({
        getPassword: (s, a) => noBus('getPassword', s, a),
        setPassword: (s, a, v) => noBus('setPassword', s, a, v),
        deletePassword: (s, a) => noBus('deletePassword', s, a)
      })
    })
    const probe = await store.probe()
    expect(probe.available).toBe(false)
    expect(probe.message).toContain('gnome-keyring')
    const error = await store.set('key:x', 'sbx_should_not_be_stored').then(
      () => ({ code: 'none', message: 'stored' }),
      (e: unknown) => e as { code: string; message: string }
    )
    expect(error.code).toBe('keychain-unavailable')
    expect(error.message).toContain('never stores key values anywhere else')
    expect(error.message).not.toContain('sbx_should_not_be_stored')
  })
})
