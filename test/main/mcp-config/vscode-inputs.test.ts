import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse } from 'jsonc-parser'
import { beforeEach, describe, expect, it } from 'vitest'
import { testKeychain } from '../../support/keychain'
import { createBackupStore, type BackupStore } from '../../../src/main/mcp-config/files/backups'
import type { ServerSpec } from '../../../src/main/mcp-config/document/entries'
import { applyPlan, planAdd, undoChange } from '../../../src/main/mcp-config/plan'
import { locationFor } from '../../../src/main/mcp-config/clients'
import { tempFolder } from '../../support/temp-folder'

const input: ServerSpec = {
  name: 'kw',
  url: 'https://mcp.example/v1',
  header: { name: 'Authorization', scheme: 'Bearer' },
  placement: 'input',
  input: { id: 'kw-key', description: 'Lyceum API key' }
}

let home: string
let backups: BackupStore
beforeEach(async () => {
  const root = await tempFolder('kw-inputs-')
  home = join(root, 'home')
  backups = createBackupStore(join(root, 'data'), testKeychain())
})
const vscodeUser = () => locationFor({ home, platform: 'linux', env: {} }, 'vscode', 'user')!
async function put(text: string) {
  const location = vscodeUser()
  await mkdir(dirname(location.file), { recursive: true })
  await writeFile(location.file, text)
  return location
}

describe('VS Code inputs', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`keeps a trailing // comment on the line of the input it describes (${eol === '\n' ? 'LF' : 'CRLF'})`, async () => {
      const lines = [
        '{',
        '  "servers": {},',
        '  "inputs": [',
        '    { "type": "promptString", "id": "gh", "password": true }, // the GitHub token',
        '  ]',
        '}',
        ''
      ]
      const location = await put(lines.join(eol))
      await applyPlan(await planAdd(location, input), backups)
      const after = await readFile(location.file, 'utf8')
      const out = after.split(eol)
      // The commented line is exactly as it was; no other line carries the comment.
      expect(out).toContain(lines[3])
      expect(after.match(/the GitHub token/g)).toHaveLength(1)
      expect(out.find((l) => l.includes('"id": "kw-key"'))).not.toContain('//')
      // Every line break is still the file's own.
      expect(after.replace(/\r\n/g, '').includes('\n')).toBe(eol === '\n')
      expect((parse(after) as { inputs: { id: string }[] }).inputs.map((i) => i.id)).toEqual(['gh', 'kw-key'])
    })
  }

  it('undoing an add that created "inputs" gives back the exact bytes, with no empty list left behind', async () => {
    const original = '{\n  // my servers\n  "servers": {\n    "gh": { "url": "https://gh.example" }\n  }\n}\n'
    const location = await put(original)
    const id = await applyPlan(await planAdd(location, input), backups)
    expect(await readFile(location.file, 'utf8')).toContain('"inputs"')
    await undoChange(id, backups)
    expect(await readFile(location.file, 'utf8')).toBe(original)
  })

  it('undoing it after the person edited elsewhere in the file removes the whole "inputs" list it created', async () => {
    const original = '{\n  "servers": {\n    "gh": { "url": "https://gh.example" }\n  }\n}\n'
    const location = await put(original)
    const id = await applyPlan(await planAdd(location, input), backups)
    const edited = (await readFile(location.file, 'utf8')).replace('"https://gh.example"', '"https://gh.example/v2"')
    await writeFile(location.file, edited)
    await undoChange(id, backups)
    const after = await readFile(location.file, 'utf8')
    expect(after).not.toContain('inputs')
    expect(after).toBe(original.replace('"https://gh.example"', '"https://gh.example/v2"'))
  })
})
