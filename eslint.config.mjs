// ESLint 9 flat config: typescript-eslint's recommended rules (syntax only, no type information, so a
// full run takes seconds) plus import rules that keep the module boundaries readable in the editor.
// The dependency graph itself (who may import whom, cycles) is checked by dependency-cruiser:
// .dependency-cruiser.cjs. Both run in `npm run lint`, which `npm test` runs first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A lib is reached only through its door, `@lib/<name>` (libs/<name>/src/index.ts).
const throughTheDoor = { group: ['@lib/*/**'], message: 'Import a lib only through its door: @lib/<name>.' };
const noRelativeLib = { group: ['**/libs/**'], message: 'Import a lib through @lib/<name>, not a relative path into it.' };
// From inside libs/<a>/src, `../../<b>/src/...` is a relative path into lib b.
const noSiblingLib = { group: ['../../*/src', '../../*/src/**'], message: 'Import another lib through @lib/<name>.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'bench/results/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', { patterns: [throughTheDoor, noRelativeLib] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [throughTheDoor, noRelativeLib, noSiblingLib] }] },
  },
  {
    // Node scripts and root config files: CommonJS, Node globals.
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
  },
);
