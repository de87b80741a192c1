// Lint rules that hold the project's boundaries (see CONTRIBUTING.md): what each layer may import,
// which files may touch Electron, and the one way out to a browser.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const layer = (message, ...regexes) => regexes.map((regex) => ({ regex, message }))

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
  {
    files: ['src/main/**/*.ts'],
    ignores: electronShell,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: layer(
            'Only the Electron entry, src/main/shell/ and ipc/bind-electron.ts import electron; everything else is plain Node.',
            '^electron$'
          )
        }
      ]
    }
  },
  {
    files: ['src/main/shell/browser.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  }
)
