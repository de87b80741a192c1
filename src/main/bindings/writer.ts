import { KeywardenError } from '../../shared/errors'
import type { Binding } from '../../shared/schemas'

/** Rewrites the config entry behind a binding; helper placements need no file change at all. */
export interface BindingWriter {
  /**
   * Writes the new key into the entry. With `oldFingerprint`, the entry must still point at the
   * binding's URL and hold the old key (or already the new one); anything else is refused, not
   * overwritten.
   */
  update(binding: Binding, newValue: string, expect?: { oldFingerprint?: string }): Promise<{ changeId?: string; needsPerson?: boolean }>
  /**
   * Puts the old key back. With `newValue`, only an entry holding the new key is changed (so a
   * repeat is harmless and a value the person put there is left alone).
   */
  restore(binding: Binding, oldValue: string, expect?: { newValue?: string }): Promise<void>
  /** The URL and headers the entry holds now, so verification probes what the client will send. */
  read?(binding: Binding): Promise<{ url?: string; headers: Record<string, string> } | undefined>
}

/**
 * Rewrites the config entry behind a binding during rotation. Helper and bridge placements read the
 * key from the keychain at connect time, so pointing the binding at the new key is the whole change.
 */
export function createBindingWriter(deps: { inline?: BindingWriter }): BindingWriter {
  return {
    async update(binding, newValue, expect) {
      // A helper, the bridge or a variable read at connect time: the binding moving to the new key is the whole change.
      if (binding.placement === 'helper' || binding.placement === 'bridge' || binding.placement === 'env') return {}
      if (binding.placement === 'input') return { needsPerson: true }
      if (!deps.inline) throw new KeywardenError('unsupported', `Cannot update ${binding.file} yet.`)
      return deps.inline.update(binding, newValue, expect)
    },
    async restore(binding, oldValue, expect) {
      if (binding.placement !== 'inline') return
      if (!deps.inline) throw new KeywardenError('unsupported', `Cannot restore ${binding.file}.`)
      await deps.inline.restore(binding, oldValue, expect)
    },
    read: deps.inline?.read && ((binding) => deps.inline!.read!(binding))
  }
}
