// @ts-check
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Besides the usual recommendations, these rules enforce the architecture of docs/architecture.md: data flows
 * routes → domains → db/search/services, never backwards; a domain is entered through its index only; there are no
 * import cycles; and nothing but app/utils/env.server.ts reads process.env.
 */
/** db/ and search/ at the repository's top level (not app/domains/search). */
const dataLayer = { regex: '^(\\.\\./)+(db|search)(/|$)' }
/** Another domain's inner file: `~/domains/x/file`, or `../x/file` from inside a domain. Only its index may be. */
const pastIndex = [
  { regex: '^~/domains/[^/]+/(?!index\\.server$).+', message: 'Import a domain through its index.' },
  { regex: '^\\.\\./[^/.]+/(?!index\\.server$).+', message: 'Import another domain through its index.' },
]
/** The hash chains' inner files, from outside app/services/hash-chain/. */
const pastHashChainIndex = {
  regex: '(^|/)services/hash-chain/(?!index\\.server$).+',
  message: 'Import the hash chains through app/services/hash-chain/index.server.',
}

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'node_modules/**',
      '.data/**',
      'test-results/**',
      'playwright-report/**',
      'db/migrations/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    settings: { react: { version: '18.3' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
      'react/prop-types': 'off',
    },
  },
  {
    files: ['app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              ...dataLayer,
              message: 'Routes and components never touch db/ or search/: call a domain function instead.',
            },
            pastIndex[0],
            pastHashChainIndex,
          ],
        },
      ],
    },
  },
  {
    // Domains and services are the layer that reaches the database and the search engines.
    files: ['app/domains/**', 'app/services/**', 'app/utils/db.server.ts', 'app/utils/errors.server.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...pastIndex, pastHashChainIndex] }] },
  },
  {
    files: ['app/**', 'db/**', 'search/**'],
    ignores: ['app/utils/env.server.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through getEnv() (app/utils/env.server.ts).',
        },
      ],
    },
  },
  {
    files: ['search/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/**'], message: 'search/ never imports db/: a model orchestrates the sync.' },
          ],
        },
      ],
    },
  },
  {
    // The browser tests' `test` waits for hydration after page.goto and page.reload (tests/e2e/fixtures.ts).
    files: ['tests/e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@playwright/test',
              importNames: ['test'],
              message: "Import test from './fixtures': its page waits until React has hydrated.",
            },
          ],
        },
      ],
    },
  },
)
