import type { FormattingOptions } from 'jsonc-parser'

/** How a file is laid out, so an inserted entry looks as if its owner had typed it. */
export interface Style {
  formatting: FormattingOptions
  /** The whole file sits on one line (minified): entries are inserted on one line too. */
  compact: boolean
  /** Compact files: whether there is a space after ":". */
  spaced: boolean
}

export const NEW_FILE_STYLE: Style = { formatting: { insertSpaces: true, tabSize: 2, eol: '\n' }, compact: false, spaced: true }

export function detectStyle(text: string): Style {
  const nl = text.indexOf('\n')
  const eol = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n'
  // The indentation of the first line that starts with a key; comment blocks (" * …") do not count.
  const indent = /^([ \t]+)"/m.exec(text)?.[1]
  const formatting: FormattingOptions = indent?.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent?.length ?? 2, eol }
  const body = text.trimEnd()
  return { formatting, compact: body.length > 2 && !body.includes('\n'), spaced: /"\s*:\s/.test(body) }
}
