// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every Node built-in, as `fs` and as `node:fs` (and `node:`-only ones such as node:test). */
const nodeBuiltins = [...new Set(builtinModules.flatMap((name) => [name, `node:${name.replace(/^node:/, '')}`]))];

/**
 * What workflow-safe code may not import. Workflow code runs in Temporal's deterministic sandbox, bundled with
 * webpack: Node built-ins, SDK clients and the activities' implementations must never reach it.
 */
const sandboxRestrictions = (/** @type {object[]} */ layers) => ({
  paths: nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in workflow-safe code.' })),
  patterns: [
    { group: ['node:*'], message: 'No Node built-ins in workflow-safe code.' },
    {
      group: ['@aws-sdk/*'],
      allowTypeImports: true,
      message: 'Only the AWS SDK’s types may be used here (request shapes); calls belong in activities.',
    },
    {
      group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'],
      message: 'Workflow-safe code must not import this; call an activity.',
    },
    ...layers,
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '**/*.mjs', 'bench/floor/memory-probe.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: Node built-ins and the AWS SDK must never reach it, and
    // the show spec's zod schema stays out of the workflow bundle. timeline/ too: the workflow imports its figures.
    files: ['workflows/**/*.ts', 'timeline/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        sandboxRestrictions([
          {
            regex: '(^|/)activities(/|$)',
            allowTypeImports: true,
            message: 'Activities run outside the sandbox: use their contracts (contracts/), or import types only.',
          },
          {
            regex: '(^|/)show-spec/(show-spec|parse-show-spec|durations)$',
            allowTypeImports: true,
            message: 'The spec schema stays out of the workflow bundle: import its types only.',
          },
        ]),
      ],
    },
  },
  {
    // contracts/ is the bottom layer everything imports, workflow code included.
    files: ['contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        sandboxRestrictions([
          {
            regex: '(^|/)(show-spec|workflows|activities|client|worker|events|security|dev|scripts|emulator)(/|$)',
            message: 'contracts/ is the bottom layer: it imports nothing of Showrunner’s above it.',
          },
        ]),
      ],
    },
  },
);
