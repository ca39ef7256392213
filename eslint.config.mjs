import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Only the Electron bootstrap, the IPC binding and the preload may import electron:
// everything else in main must run in plain Node so tests and benchmarks need no Electron.
const ELECTRON_ALLOWED = ['src/main/index.ts', 'src/main/ipc.ts', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string unions with `as const`, not enums.' }],
    },
  },
  {
    // Repeats the enum rule: a later no-restricted-syntax replaces, not extends, an earlier one.
    files: ['src/main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use string unions with `as const`, not enums.' },
        { selector: "MemberExpression[property.name='$']", message: 'collection.$ keeps every written document alive in RxDB 17: use onDocChanges (src/main/store/doc-changes.ts).' },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    ignores: ELECTRON_ALLOWED,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/index.ts, src/main/ipc.ts and src/preload/ may import electron.' }] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '**/main/**', 'electron'], message: 'The renderer talks to main only through src/renderer/src/api/client.ts.' }] }],
    },
  },
  {
    // The webhook relay is its own small service: plain Node, sharing only src/shared with the app.
    files: ['src/relay/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', '**/main/**', '**/renderer/**', '**/preload/**'], message: 'The relay runs without the app: only node:*, its own files and src/shared.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '**/main/**', '**/renderer/**'], message: 'src/shared is pure TypeScript: no Node, DOM or Electron.' }] }],
    },
  },
);
