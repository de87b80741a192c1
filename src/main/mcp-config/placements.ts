import type { Placement } from '../../shared/schemas'

/** How each way of placing a key is named to a person, where a client adds nothing of its own. */
export const placementLabels: Record<Placement, string> = {
  helper: 'Keychain helper: nothing secret in the file',
  bridge: 'Keychain bridge: nothing secret in the file, argv or environment',
  env: 'Environment variable: the key comes from `keywarden run`',
  input: 'Ask once: the client keeps the key encrypted',
  inline: 'In the file (a plaintext copy)'
}

/** The variable an env placement names: `KEYWARDEN_` and the key's name in capitals (`KEYWARDEN_SANDBOX_WORK_LAPTOP`). */
export const envVarName = (name: string) =>
  `KEYWARDEN_${
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'KEY'
  }`.slice(0, 100)
