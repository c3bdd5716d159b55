import fs from 'node:fs'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

/**
 * Browser tests drive the built app in the system's Chromium (never a downloaded browser). `npm test` creates a
 * fresh database for them (E2E_DATABASE_URL on the PostgreSQL server, or an embedded one in test-results/) and
 * starts the server in demo mode, which seeds it. Specs sign in with the `login` fixture of tests/e2e/fixtures.ts
 * (a session cookie written into E2E_DATABASE_URL, or the login form on PGlite). Every test has 30 s unless its
 * spec gives it more (axe pages, journeys that hash passwords).
 */
/**
 * Each checkout gets its own port (E2E_PORT, or one derived from its path), so two checkouts of the project on one
 * machine can run their browser tests at the same time.
 */
const port =
  Number(process.env.E2E_PORT) ||
  3210 + ([...process.cwd()].reduce((hash, ch) => (hash * 31 + ch.charCodeAt(0)) >>> 0, 7) % 500)
const baseURL = `http://127.0.0.1:${port}`

/**
 * The web server's whole output for this run (LOG_FILE): the teardown project reads it after every spec has run
 * (tests/e2e/server-output.teardown.ts). Emptied by the runner before the server starts, so what it reads is this
 * run's — not by the workers, which load this file too while the server is writing.
 */
const serverLogFile = path.resolve('test-results/e2e-server.log')
if (process.env.TEST_WORKER_INDEX === undefined) {
  fs.mkdirSync(path.dirname(serverLogFile), { recursive: true })
  fs.writeFileSync(serverLogFile, '')
}

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // Without these Chromium keeps trying to reach Google's services, which this network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' }, teardown: 'server output' },
    // Runs once the specs are done, with the server's output of the whole run.
    { name: 'server output', testMatch: /server-output\.teardown\.ts/ },
  ],
  webServer: {
    command: 'node scripts/start.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    // The first start seeds the demo world with its year of orders (under a minute on a quiet machine).
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      APP_MODE: 'demo',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      DATA_DIR: path.resolve('test-results/e2e-data'),
      LOG_FILE: serverLogFile,
    },
  },
})
