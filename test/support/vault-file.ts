import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { VaultData } from '../../src/main/vault/metadata-store'

/**
 * Changes vault.json on disk as another process or an older version of Keywarden would: for
 * states the vault's own verbs refuse (a binding recorded by a process that raced a rotation) or
 * fixtures too big to add one by one. A running app reads the change on its next read.
 */
export async function writeVaultAsAnotherProcess(dataDir: string, change: (data: VaultData) => void): Promise<void> {
  const file = join(dataDir, 'vault.json')
  const text = await readFile(file, 'utf8').catch(() => '{"version": 1}')
  const data = {
    providers: [],
    keys: [],
    bindings: [],
    settings: { rotationDays: 90 },
    ...(JSON.parse(text) as Partial<VaultData>)
  } as VaultData
  change(data)
  await writeFile(`${file}.other`, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 })
  await rename(`${file}.other`, file)
}
