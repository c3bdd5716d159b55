import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

/**
 * Three projects: pure unit tests, and the integration suite on embedded PGlite and on the PostgreSQL server named
 * by DATABASE_URL. `npm test` (scripts/test-all.ts) decides which run and reports skips loudly; with CI=true a
 * project that cannot run fails the run.
 * Only tests/unit and tests/integration(-pglite) are collected: the Playwright specs in tests/e2e are not Vitest's.
 *
 * The rule for where an integration file runs: PGlite runs every file that touches the driver — SQL, transactions
 * and locks, row and error shapes (counts, sums, SQLSTATEs), migrations, the seed — and the server runs all of them.
 * A file that tests only HTTP and route behaviour, which cannot differ by driver (the access map, the
 * authorization matrix, cross-site refusals, hostile input, body limits), runs on the server alone: on PGlite it
 * would only repeat the same requests more slowly. A file with even one test that reads a driver's answer (the
 * request boundary logs SQLSTATEs, /healthz reads the migrations table) stays on both.
 */
const integration = ['tests/integration/**/*.test.ts']
const httpOnly = [
  'tests/integration/authorization.test.ts',
  'tests/integration/body-limit.test.ts',
  'tests/integration/cross-site.test.ts',
  'tests/integration/hostile-input.test.ts',
  'tests/integration/route-coverage.test.ts',
  // Starts the compiled server as a process: what it checks (the process tree, the time to healthy) is no driver's.
  'tests/integration/production-start.test.ts',
  // Listing review and supplier admission pages.
  'tests/integration/review-pages.test.ts',
  // The anonymous page cache (decision 027): requests and responses only.
  'tests/integration/page-cache.test.ts',
]

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  test: {
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 30_000,
    // At least two workers, even on two cores (Vitest's default leaves one core free): integration files spend much
    // of their time waiting on the database, so a second file runs in that time. Measured on a 2-core machine: the
    // whole run from 413 s to 283 s.
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: [...integration, 'tests/integration-pglite/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...httpOnly],
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
