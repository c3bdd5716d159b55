// @ts-check
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Besides the usual recommendations, these rules enforce the architecture of DESIGN §3: data flows
 * routes → models → db/search/services, never backwards, and nothing but app/utils/env.server.ts reads
 * process.env.
 */
const dataLayer = ['**/db/**', '../db/**', '../../db/**', '**/search/**']

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
    files: ['app/routes/**', 'app/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: dataLayer,
              message:
                'Routes and components never touch db/ or search/: call a function in app/models instead.',
            },
          ],
        },
      ],
    },
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
)
