import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const CORE = 'packages/core/src';
const DOMAINS = readdirSync(join(import.meta.dirname, CORE, 'domain'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

// One front door per domain: a file in domain/<a>/ reaches domain/<b>/ only through
// domain/<b>/index.ts, so a domain's files can move or split without touching its neighbours.
const FRONT_DOORS = DOMAINS.map((name) => ({
  target: DOMAINS.filter((other) => other !== name).map((other) => `./${CORE}/domain/${other}/**`),
  from: `./${CORE}/domain/${name}`,
  except: ['./index.ts'],
  message: `Import domain/${name} through its front door, domain/${name}/index.ts.`,
}));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/drizzle/**',
      'bench/results/**',
      'data/**',
      '**/*.config.ts',
      '**/*.config.js',
      'scripts/**',
      '**/dist/**',
      '**/build.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  // Plain JavaScript (scripts, build files) has no type information to check against.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.mts', '**/*.cts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Two programs instead of one per package (projectService): every package's tsconfig pulls in
      // @rag/core's sources, so the lint type-checked core seven times (63 s, 3.3 GB; now 48 s, 2.4 GB).
      parserOptions: {
        project: ['./tsconfig.eslint.json', './services/web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: true },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'TSAsExpression > TSAsExpression.expression[typeAnnotation.type="TSUnknownKeyword"]',
          message:
            'No `as unknown as`: give the value its type where it is made (a typed helper or a guard).',
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through parseEnv (packages/core/src/env.ts).',
        },
      ],
    },
  },
  {
    // Import cycles and the domains' front doors, in the server code (tests and bench may reach in).
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: FRONT_DOORS }],
    },
  },
  {
    // Tests and benchmarks state what they expect with `!` (a missing value fails the test loudly).
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // In-memory adapters (and test doubles) implement async ports with synchronous bodies: an async
    // function is the plainest way to return their promise.
    files: ['packages/core/src/adapters/memory/**/*.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The config module, entry points and test/bench harnesses are where the environment is read.
    files: [
      'packages/core/src/env.ts',
      'services/*/src/main.ts',
      'services/*/src/cron-job.ts',
      'tests/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
