import { KeywardenError } from '../../shared/errors'

/**
 * The only way Keywarden opens a link outside the app: https URLs only, so a crafted link can
 * never launch a local program or a file.
 */
export function checkExternalUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new KeywardenError('invalid-input', 'That link is not a valid address.')
  }
  if (url.protocol !== 'https:') {
    throw new KeywardenError('invalid-input', `Keywarden opens only https links; refused ${url.protocol} link.`)
  }
  return url.toString()
}

export async function openExternal(raw: string, open: (url: string) => Promise<void>): Promise<void> {
  await open(checkExternalUrl(raw))
}
