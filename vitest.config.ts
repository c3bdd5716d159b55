import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Three projects: pure unit tests, and the integration suite twice — on embedded PGlite and on the PostgreSQL
 * server named by DATABASE_URL. `npm test` (scripts/test-all.ts) decides which run and reports skips loudly.
 * Only tests/unit and tests/integration are collected: the Playwright specs in tests/e2e are not Vitest's.
 */
const integration = ['tests/integration/**/*.test.ts']

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  test: {
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: [...integration, 'tests/integration-pglite/**/*.test.ts'],
          env: { TEST_DB: 'pglite' },
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: integration,
          env: { TEST_DB: 'server' },
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
    ],
  },
})
