/**
 * What the window tells a person to do with a key that clients still use. Kept apart so the
 * command line can put its own commands in place of this sentence without loading the vault.
 */
export const stillUsedAdvice = (count: number): string =>
  `Remove it together with ${count === 1 ? 'that entry' : 'those entries'}, or remove ${count === 1 ? 'it' : 'them'} from the client first (Tools screen).`
