import { isDeepStrictEqual } from 'node:util'
import { KeywardenError } from '../../../shared/errors'
import { lineColumn } from './json-path'
import { parseFragment } from './jsonc-file'
import { getAt, locate, type ConfigDoc } from './config-doc'
import { editWithin, setAt } from './member-edit'

/** Adds or removes a VS Code `inputs` entry by its id; an id already there is left alone. */
export function setInput(doc: ConfigDoc, id: string, entry: Record<string, unknown> | undefined): void {
  const found = locate(doc, ['inputs'])
  if (!found.value) {
    if (entry) setAt(doc, ['inputs'], [entry])
    return
  }
  const inputs = parseFragment(doc.body.slice(found.value.start, found.value.end), doc.strict)
  if (!Array.isArray(inputs)) {
    const { line, column } = lineColumn(doc.body, found.value.start)
    throw new KeywardenError(
      'file-unparseable',
      `${doc.label}'s ${doc.file}: "inputs" at line ${line}, column ${column} should be a list but is not. Fix it or move the file aside; Keywarden did not change it.`
    )
  }
  const index = inputs.findIndex((i: { id?: unknown } | null) => i?.id === id)
  if (entry ? index >= 0 : index < 0) return
  const wanted = entry ? [...inputs, entry] : inputs.filter((_, i) => i !== index)
  editWithin(
    doc,
    found.objects[0]!,
    ['inputs', entry ? inputs.length : index],
    entry,
    (holder) => isDeepStrictEqual(getAt(holder, ['inputs']), wanted),
    { isArrayInsertion: Boolean(entry) }
  )
  doc.expectations.push({ path: ['inputs'], inputId: id, value: entry })
}

/** The ids of `inputs` referred to as `${input:id}` anywhere in a text. */
export function inputsInUse(text: string): Set<string> {
  return new Set([...text.matchAll(/\$\{input:([^}\s]+)\}/g)].map((m) => m[1]!))
}

export function inputById(inputs: unknown, id: string): unknown {
  return Array.isArray(inputs) ? inputs.find((i: { id?: unknown } | null) => i?.id === id) : undefined
}
