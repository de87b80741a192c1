/** The parts of an IPC call's sender that decide whether it may call Keywarden. */
export interface Sender {
  /** The frame that sent the call; null when it is already gone. */
  frame: { url: string; parent: unknown } | null
  /** The window that frame belongs to, if it is one of ours. */
  window: { isDestroyed(): boolean } | null
}

/**
 * A call is accepted only from the top frame of a live window of ours showing the app's own page:
 * not from an iframe, a window that closed meanwhile, or a page navigated elsewhere.
 */
export function isTrustedSender(sender: Sender, isOurPage: (url: string) => boolean): boolean {
  const { frame, window } = sender
  return Boolean(frame && window && !window.isDestroyed() && frame.parent === null && isOurPage(frame.url))
}

export const FORBIDDEN_SENDER = {
  ok: false as const,
  error: { code: 'forbidden-sender' as const, message: 'Request refused: it did not come from the Keywarden window.' }
}
