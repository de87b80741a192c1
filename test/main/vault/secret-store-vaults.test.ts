import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeytarStore, keychainService, KEYCHAIN_SERVICE, openVaultKeychain } from '../../../src/main/vault/secret-store'
import { tempFolder } from '../../support/temp-folder'

// Runs inside the private keyring session that `npm test` starts: "Keywarden" here is not the person's.
const lookup = (service: string, account: string) =>
  spawnSync('secret-tool', ['lookup', 'service', service, 'account', account], { encoding: 'utf8' }).stdout

describe('each data folder has keychain entries of its own', () => {
  it('two KEYWARDEN_DATA_DIR vaults side by side and the app’s own vault never see each other’s keys', async () => {
    const root = await tempFolder('kw-vaults-')
    const home = join(root, 'home')
    const [a, b] = [join(root, 'a'), join(root, 'b')]
    const place = (dir?: string) => ({ home, platform: 'linux' as const, env: dir ? { KEYWARDEN_DATA_DIR: dir } : {} })
    expect(keychainService(a, place(a))).toBe(`Keywarden (${a})`)
    expect(keychainService(b, place(b))).toBe(`Keywarden (${b})`)
    expect(keychainService(join(home, '.config', 'Keywarden'), place())).toBe(KEYCHAIN_SERVICE)
    expect(keychainService(join(home, '.config', 'Keywarden/'), place(a))).toBe(KEYCHAIN_SERVICE)

    const account = `key:${randomUUID()}`
    const vaultA = openVaultKeychain(a, place(a))
    const vaultB = openVaultKeychain(b, place(b))
    const own = openVaultKeychain(join(home, '.config', 'Keywarden'), place())
    await vaultA.set(account, 'sbx_value_of_vault_a')
    await vaultB.set(account, 'sbx_value_of_vault_b')
    expect(await vaultA.get(account)).toBe('sbx_value_of_vault_a')
    expect(await vaultB.get(account)).toBe('sbx_value_of_vault_b')
    expect(await own.get(account)).toBeNull()
    expect(lookup(KEYCHAIN_SERVICE, account)).toBe('')
    expect(lookup(`Keywarden (${a})`, account)).toBe('sbx_value_of_vault_a')
  })

  it('a KEYWARDEN_DATA_DIR vault made by an earlier version still reads its keys, copied to its own entries, the old ones kept', async () => {
    const root = await tempFolder('kw-vaults-')
    const dir = join(root, 'old-vault')
    await mkdir(dir)
    await writeFile(join(dir, 'vault.json'), '{"version": 1, "keys": []}')
    const account = `key:${randomUUID()}`
    // Where earlier versions put it.
    await createKeytarStore({ service: KEYCHAIN_SERVICE }).set(account, 'sbx_kept_under_the_old_service')
    const vault = openVaultKeychain(dir, { home: join(root, 'home'), platform: 'linux', env: { KEYWARDEN_DATA_DIR: dir } })
    expect(await vault.get(account)).toBe('sbx_kept_under_the_old_service')
    expect(lookup(`Keywarden (${dir})`, account)).toBe('sbx_kept_under_the_old_service')
    expect(lookup(KEYCHAIN_SERVICE, account)).toBe('sbx_kept_under_the_old_service')
    // Decided once: opened again, it still finds the rest of its old entries.
    const second = `provider:${randomUUID()}:password`
    await createKeytarStore({ service: KEYCHAIN_SERVICE }).set(second, 'old-provider-password')
    const again = openVaultKeychain(dir, { home: join(root, 'home'), platform: 'linux', env: { KEYWARDEN_DATA_DIR: dir } })
    expect(await again.get(second)).toBe('old-provider-password')
  })

  it('a vault that has entries of its own never reads another vault’s', async () => {
    const root = await tempFolder('kw-vaults-')
    const dir = join(root, 'own')
    await mkdir(dir)
    await writeFile(join(dir, 'vault.json'), '{"version": 1, "keys": []}')
    const place = { home: join(root, 'home'), platform: 'linux' as const, env: {} }
    await createKeytarStore({ service: keychainService(dir, place) }).set('key:mine', 'sbx_mine')
    const account = `key:${randomUUID()}`
    await createKeytarStore({ service: KEYCHAIN_SERVICE }).set(account, 'sbx_of_the_default_vault')
    expect(await openVaultKeychain(dir, place).get(account)).toBeNull()
  })

  it('a new vault never reads the app’s own vault’s entries', async () => {
    const root = await tempFolder('kw-vaults-')
    const account = `provider:${randomUUID()}:password`
    await createKeytarStore({ service: KEYCHAIN_SERVICE }).set(account, 'default-vault-password')
    const dir = join(root, 'fresh')
    expect(
      await openVaultKeychain(dir, { home: join(root, 'home'), platform: 'linux', env: { KEYWARDEN_DATA_DIR: dir } }).get(account)
    ).toBeNull()
  })
})
