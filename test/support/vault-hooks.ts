import type { Vault } from '../../src/main/vault/vault'

type Hook = (verb: string) => void | Promise<void>

// Reads answer from memory at once; everything else is a verb that writes the file.
const READS = new Set(['list', 'find', 'get', 'ofProvider', 'ofKey', 'withFingerprint', 'fingerprints', 'checkCanAdd', 'markSynced'])

/**
 * The same vault, with `before` run ahead of every verb of every aggregate and `after` once it
 * returned (`around` wraps it whole): how a test stops the process at a chosen write, and how a
 * benchmark times them.
 */
export function hookVault(
  vault: Vault,
  hooks: { before?: Hook; after?: Hook; around?: (verb: string, run: () => Promise<unknown>) => Promise<unknown> }
): Vault {
  const wrap = <T extends object>(group: string, records: T): T =>
    new Proxy(records, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown
        if (typeof value !== 'function' || READS.has(String(name))) return value
        const verb = `${group}.${String(name)}`
        return (...args: unknown[]) => {
          const run = async () => {
            await hooks.before?.(verb)
            const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
            await hooks.after?.(verb)
            return out
          }
          return hooks.around ? hooks.around(verb, run) : run()
        }
      }
    })
  return {
    ...vault,
    onChange: vault.onChange,
    keys: wrap('keys', vault.keys),
    bindings: wrap('bindings', vault.bindings),
    providers: wrap('providers', vault.providers),
    settings: wrap('settings', vault.settings)
  }
}
