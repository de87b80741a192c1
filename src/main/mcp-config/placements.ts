import type { Placement } from '../../shared/schemas'

/** How each way of placing a key is named to a person, where a client adds nothing of its own. */
export const placementLabels: Record<Placement, string> = {
  helper: 'Keychain helper: nothing secret in the file',
  bridge: 'Keychain bridge: nothing secret in the file, argv or environment',
  env: 'Environment variable: the key comes from `keywarden run`',
  input: 'Ask once: the client keeps the key encrypted',
  inline: 'In the file (a plaintext copy)'
}
