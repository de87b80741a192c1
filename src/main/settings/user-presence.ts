/**
 * Asks the person to prove they are at the computer (Touch ID on macOS) before a secret leaves the
 * keychain. The shell provides it; where the platform offers nothing, `available` is false and the
 * setting cannot be turned on.
 */
export interface UserPresence {
  /** Whether this machine can ask, and what the check is called here ("Touch ID"). */
  available(): Promise<{ available: boolean; label: string }>
  /** Resolves true when the person confirmed; false when they cancelled or failed. */
  confirm(reason: string): Promise<boolean>
}

export const noUserPresence: UserPresence = {
  available: async () => ({ available: false, label: 'Not offered on this computer' }),
  confirm: async () => false
}
