// Lint rules that hold the project's boundaries (see CONTRIBUTING.md): what each layer may import,
// which files may touch Electron, and the one way out to a browser.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const layer = (message, ...regexes) => regexes.map((regex) => ({ regex, message }))

const ELECTRON = layer(
  'Only the Electron entry, src/main/shell/ and ipc/bind-electron.ts import electron; everything else is plain Node.',
  '^electron$'
)
const VAULT_FILE = layer('Only the vault writes vault.json: use its verbs (src/main/vault/vault.ts).', '(^|/)vault/metadata-store$')

/**
 * One lint block per layer of src/main: the folders it may not import (and why), with the rules
 * every main file keeps (electron only in the shell files, vault.json only through the vault).
 */
function mainLayers(blocks) {
  return blocks.map(({ files, ignores, message, banned = [], electron = false, vaultFile = false }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(banned.length ? layer(message, `(^|/)(${banned.join('|')})/`) : []),
            ...(electron ? [] : ELECTRON),
            ...(vaultFile ? [] : VAULT_FILE)
          ]
        }
      ]
    }
  }))
}

/** Files in src/main that may import electron: the entry, the window shell and the IPC binding. */
const electronShell = ['src/main/index.ts', 'src/main/shell/**', 'src/main/ipc/bind-electron.ts']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='openExternal'][callee.object.name='shell']",
          message: 'Open links through src/main/shell/open-external.ts (https only).'
        }
      ]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Only matters under the React Compiler, which the window does not use.
      'react-hooks/incompatible-library': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layer('The window never imports the main process: ask it over the contract.', '(^|/)main(/|$)'),
            ...layer('The window has no Node and no Electron.', '^node:', '^electron$'),
            // Shared code reaches the window as types only, so no schema library ships with it.
            {
              regex: '(^|/)shared/(?!methods$)',
              allowTypeImports: true,
              message: 'Import only types from src/shared in the window (the zod-free methods module excepted).'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: layer(
            'src/shared is imported by every process and imports none of them.',
            '(^|/)(main|renderer|preload)(/|$)',
            '^electron$',
            '^node:'
          )
        }
      ]
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layer('The preload exposes the contract and nothing else.', '(^|/)(main|renderer)(/|$)', '^node:'),
            {
              regex: '(^|/)shared/(?!methods$)',
              allowTypeImports: true,
              message: 'The preload learns method names from the zod-free methods module, so no schema library is bundled into it.'
            }
          ]
        }
      ]
    }
  },
  // Main's own layers, lowest first: vault; providers and mcp-config; keys; bindings; rotation;
  // app (wiring); ipc; cli and the Electron entry. An import never reaches up, and only the vault
  // touches its file.
  ...mainLayers([
    { files: ['src/main/**/*.ts'], electron: false },
    { files: electronShell, electron: true },
    {
      files: ['src/main/vault/**'],
      message: 'The vault is the lowest layer: it imports no service.',
      banned: ['providers', 'mcp-config', 'keys', 'bindings', 'rotation', 'app', 'ipc', 'cli', 'sandbox', 'shell'],
      vaultFile: true
    },
    {
      files: ['src/main/providers/**'],
      message: 'Providers talk to services; they import no rotation, binding, key service, wiring or command line.',
      banned: ['rotation', 'bindings', 'keys', 'app', 'ipc', 'cli']
    },
    {
      files: ['src/main/mcp-config/**'],
      message: 'Client config files are a lower layer than the services that use them.',
      banned: ['keys', 'bindings', 'rotation', 'app', 'ipc', 'cli']
    },
    {
      files: ['src/main/keys/**'],
      message: 'Keys are a lower layer than bindings, rotation and the wiring.',
      banned: ['bindings', 'rotation', 'app', 'ipc', 'cli']
    },
    { files: ['src/main/bindings/**'], message: 'Bindings are a lower layer than rotation.', banned: ['rotation', 'app', 'ipc', 'cli'] },
    { files: ['src/main/rotation/**'], message: 'Rotation is wired by the app, not the other way round.', banned: ['app', 'ipc', 'cli'] },
    {
      files: ['src/main/app/**', 'src/main/ipc/**'],
      ignores: electronShell,
      message: 'Nothing imports the command line.',
      banned: ['cli']
    },
    { files: ['src/main/ipc/bind-electron.ts'], message: 'Nothing imports the command line.', banned: ['cli'], electron: true }
  ]),
  {
    files: ['src/main/shell/browser.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  }
)
