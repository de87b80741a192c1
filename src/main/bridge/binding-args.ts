import { resolve } from 'node:path'

/** The arguments of `mcp-headers` and `mcp-bridge`: a binding id and where its vault lives. */
export interface BindingArgs {
  bindingId: string
  dataDir?: string
  keychainService?: string
}

const BINDING_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/

/** Reads `<binding> [--data-dir <path>] [--keychain-service <name>]`; anything else is refused. */
export function bindingArgs(args: string[]): BindingArgs | { usage: string } | { help: true } {
  const [bindingId, ...rest] = args
  if (bindingId === '--help' || bindingId === '-h') return { help: true }
  if (!bindingId || !BINDING_ID.test(bindingId)) return { usage: 'The first argument is the binding id Keywarden wrote into this entry.' }
  const out: BindingArgs = { bindingId }
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i], rest[i + 1]]
    if (value === undefined || value === '') return { usage: `${name} needs a value.` }
    if (name === '--data-dir') out.dataDir = resolve(value)
    else if (name === '--keychain-service') out.keychainService = value
    else return { usage: `Unknown option ${name}.` }
  }
  return out
}
