import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { visit } from 'jsonc-parser'
import { fastLocate } from '../../../src/main/mcp-config/document/fast-path-scan'
import { scanLocate } from '../../../src/main/mcp-config/document/json-path'

/** Every path of object keys in a text, up to a depth, plus some that are not there. */
function pathsIn(text: string): string[][] {
  const out: string[][] = [[], ['nope'], ['mcpServers', 'nope', 'x']]
  const stack: string[] = []
  let key: string | undefined
  visit(text, {
    onObjectProperty: (p) => {
      key = p
      if (stack.length < 4) out.push([...stack, p], [...stack, p, 'absent'])
    },
    onObjectBegin: () => void stack.push(key ?? '[]'),
    onObjectEnd: () => void stack.pop(),
    onArrayBegin: () => void stack.push('[]'),
    onArrayEnd: () => void stack.pop()
  })
  return out.map((p) => p.filter((k, i) => !(i === 0 && k === '[]'))).filter((p) => !p.includes('[]'))
}

const fixtures = resolve('test/fixtures')

describe('the fast path scan', () => {
  it('finds the same spans as the full scan, in every fixture and for every path in them', async () => {
    const texts: string[] = [
      '{"a": {"b": {"c": 1}}, "d": [1, {"e": 2}], "s": "x\\\\\\"}{", "t": true}',
      '{\n  // c {\n  "a": /* } */ {"b": 1,},\n  "z": "//"\n}\n',
      '{}',
      '{"a": 1, "a": 2}',
      '{"a": [1, 2], "b": {"c": null}}'
    ]
    for (const name of await readdir(fixtures, { recursive: true }))
      if (/\.(json|jsonc)$/.test(name)) texts.push(await readFile(join(fixtures, name), 'utf8'))
    let compared = 0
    for (const text of texts) {
      for (const path of pathsIn(text)) {
        const fast = fastLocate(text, path)
        let full: unknown
        try {
          full = scanLocate(text, path, { file: 'f', label: 'l' })
        } catch {
          full = 'error'
        }
        // The fast scan either agrees or leaves the case (errors included) to the full one.
        if (fast) {
          expect(fast, `${JSON.stringify(path)} in ${text.slice(0, 60)}`).toEqual(full)
          compared++
        }
      }
    }
    expect(compared).toBeGreaterThan(50)
  })
})
