import { KeywardenError } from '../../shared/errors'
import type { BindingWriter } from '../rotation/engine'

/**
 * Rewrites the config entry behind a binding during rotation. A helper placement reads the key
 * from the keychain at connect time, so pointing the binding at the new key is the whole change.
 */
export function createBindingWriter(deps: { inline?: BindingWriter }): BindingWriter {
  return {
    async update(binding, newValue, expect) {
      // A helper or a variable read at connect time: the binding moving to the new key is the whole change.
      if (binding.placement === 'helper' || binding.placement === 'env') return {}
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
