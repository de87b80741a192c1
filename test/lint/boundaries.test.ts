import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: root })

/** The rule ids ESLint reports for `code` as if it sat at `file` in the tree. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message)
}

// The layer rules live in eslint.config.js; these deliberate violations prove they fire.
describe('layer boundaries', () => {
  it('refuses electron outside the shell files of the main process', async () => {
    expect(await violations('src/main/vault/x.ts', "import { app } from 'electron'\nvoid app\n")).toContain('no-restricted-imports')
    expect(await violations('src/main/shell/x.ts', "import { app } from 'electron'\nvoid app\n")).toEqual([])
  })

  it('refuses the main process, Node and runtime shared code in the window', async () => {
    expect(await violations('src/renderer/x.ts', "import { startSandbox } from '../main/sandbox/server'\nvoid startSandbox\n")).toContain(
      '@typescript-eslint/no-restricted-imports'
    )
    expect(await violations('src/renderer/x.ts', "import { readFile } from 'node:fs'\nvoid readFile\n")).toContain(
      '@typescript-eslint/no-restricted-imports'
    )
    expect(await violations('src/renderer/x.ts', "import { contract } from '../shared/contract'\nvoid contract\n")).toContain(
      '@typescript-eslint/no-restricted-imports'
    )
    expect(await violations('src/renderer/x.ts', "import type { Contract } from '../shared/contract'\nexport type C = Contract\n")).toEqual(
      []
    )
  })

  it('keeps src/shared free of every process', async () => {
    expect(await violations('src/shared/x.ts', "import { createDispatch } from '../main/ipc/dispatch'\nvoid createDispatch\n")).toContain(
      'no-restricted-imports'
    )
    expect(await violations('src/shared/x.ts', "import { readFile } from 'node:fs'\nvoid readFile\n")).toContain('no-restricted-imports')
  })

  it('keeps zod out of the preload', async () => {
    expect(await violations('src/preload/x.ts', "import { methods } from '../shared/contract'\nvoid methods\n")).toContain(
      '@typescript-eslint/no-restricted-imports'
    )
    expect(await violations('src/preload/x.ts', "import { methodNames } from '../shared/methods'\nvoid methodNames\n")).toEqual([])
  })

  it("keeps main's layers in order: no import reaches up, nothing imports the command line", async () => {
    const imports = (from: string) => `import { x } from '${from}'\nvoid x\n`
    expect(await violations('src/main/providers/x.ts', imports('../rotation/engine'))).toContain('no-restricted-imports')
    expect(await violations('src/main/vault/x.ts', imports('../keys/keys-service'))).toContain('no-restricted-imports')
    expect(await violations('src/main/keys/x.ts', imports('../bindings/bindings-service'))).toContain('no-restricted-imports')
    expect(await violations('src/main/rotation/x.ts', imports('../app/open-app'))).toContain('no-restricted-imports')
    expect(await violations('src/main/ipc/x.ts', imports('../cli/run'))).toContain('no-restricted-imports')
    expect(await violations('src/main/rotation/x.ts', imports('../keys/key-limits'))).toEqual([])
    expect(await violations('src/main/providers/x.ts', imports('../vault/redaction'))).toEqual([])
  })

  it('lets only the vault open vault.json', async () => {
    const code = "import { openMetadataStore } from '../vault/metadata-store'\nvoid openMetadataStore\n"
    expect(await violations('src/main/keys/x.ts', code)).toContain('no-restricted-imports')
    expect(await violations('src/main/app/x.ts', code)).toContain('no-restricted-imports')
    expect(
      await violations('src/main/vault/x.ts', "import { openMetadataStore } from './metadata-store'\nvoid openMetadataStore\n")
    ).toEqual([])
  })

  it('opens links only through the checked helper', async () => {
    const code = "import { shell } from 'electron'\nvoid shell.openExternal('https://example.com')\n"
    expect(await violations('src/main/shell/window.ts', code)).toContain('no-restricted-syntax')
    expect(await violations('src/main/shell/browser.ts', code)).toEqual([])
  })
})
