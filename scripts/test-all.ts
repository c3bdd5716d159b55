// npm test — the whole suite: unit tests, the integration suite on embedded PGlite and on the PostgreSQL server
// (DATABASE_URL), and the browser tests in the system's Chromium. What cannot run here is skipped LOUDLY, and with
// CI=true a skip is a failure. Ends with one plain line: `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import type { ProjectCounts } from '../tests/support/summary-reporter'

const ci = ['true', '1'].includes(process.env.CI ?? '')
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const databaseUrl = process.env.DATABASE_URL || undefined
const resultsDir = path.resolve('test-results')

const counts: Record<string, ProjectCounts> = {}
const skippedSuites: string[] = []
const problems: string[] = []

function run(command: string, args: string[], env: Record<string, string | undefined> = {}): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return result.status ?? 1
}

function banner(lines: string[]) {
  const width = Math.max(...lines.map((l) => l.length)) + 4
  console.log(`\n${'!'.repeat(width)}`)
  for (const line of lines) console.log(`! ${line}`)
  console.log(`${'!'.repeat(width)}\n`)
}

fs.rmSync(resultsDir, { recursive: true, force: true })
fs.mkdirSync(resultsDir, { recursive: true })

// The integration suite mounts the built app (cross-site tests), and the browser suite serves it: build once first.
if (run('node', ['scripts/build-if-needed.js']) !== 0) problems.push('the app did not build')

// --- Vitest: unit, pglite, server ---------------------------------------------------------------------------
const vitestProjects = ['unit', 'pglite']
if (databaseUrl) vitestProjects.push('server')
else
  skippedSuites.push(
    'server (integration tests on a PostgreSQL server, and the HTTP and route files that run only there: ' +
      'access map, authorization, cross-site, hostile input, body limits): DATABASE_URL is not set',
  )

const vitestStatus = run('npx', [
  'vitest',
  'run',
  ...vitestProjects.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=./tests/support/summary-reporter.ts',
])
const vitestSummaryFile = path.join(resultsDir, 'vitest-summary.json')
if (fs.existsSync(vitestSummaryFile)) {
  const summary = JSON.parse(fs.readFileSync(vitestSummaryFile, 'utf8')) as {
    projects: Record<string, ProjectCounts>
    unhandledErrors: number
  }
  Object.assign(counts, summary.projects)
  if (summary.unhandledErrors > 0)
    problems.push(`Vitest reported ${summary.unhandledErrors} unhandled error(s)`)
} else {
  problems.push('Vitest wrote no summary (it did not run to the end)')
}
if (vitestStatus !== 0 && !problems.length && !Object.values(counts).some((c) => c.failed > 0)) {
  problems.push(`Vitest exited with status ${vitestStatus}`)
}
for (const project of vitestProjects) {
  if (!counts[project] || counts[project].passed + counts[project].failed === 0) {
    problems.push(`the ${project} project ran no tests`)
  }
}

// --- Playwright in the system's Chromium ----------------------------------------------------------------------
if (!fs.existsSync(chromiumPath)) {
  skippedSuites.push(
    `e2e (browser tests): no Chromium at ${chromiumPath} (apt-get install chromium fonts-noto-cjk)`,
  )
} else {
  let e2eDatabase: string | undefined
  let e2eUrl: string | undefined
  if (databaseUrl) {
    // A fresh database on the server for the browser tests; the server seeds it on start (demo mode).
    e2eDatabase = `xfbf_e2e_${process.pid}`
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists "${e2eDatabase}" with (force)`)
    await admin.unsafe(`create database "${e2eDatabase}"`)
    await admin.end()
    const url = new URL(databaseUrl)
    url.pathname = `/${e2eDatabase}`
    e2eUrl = url.toString()
  }
  const e2eStatus = run('npx', ['playwright', 'test'], {
    CHROMIUM_PATH: chromiumPath,
    E2E_DATABASE_URL: e2eUrl,
  })
  if (e2eDatabase && databaseUrl) {
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists "${e2eDatabase}" with (force)`)
    await admin.end()
  }
  const report = path.join(resultsDir, 'playwright.json')
  if (fs.existsSync(report)) {
    const { stats } = JSON.parse(fs.readFileSync(report, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number }
    }
    counts.e2e = { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped }
    if (counts.e2e.passed + counts.e2e.failed === 0) problems.push('the e2e suite ran no tests')
  } else {
    problems.push(`Playwright wrote no report (exit status ${e2eStatus})`)
  }
  if (e2eStatus !== 0 && !(counts.e2e && counts.e2e.failed > 0))
    problems.push(`Playwright exited with status ${e2eStatus}`)
}

// --- Summary ------------------------------------------------------------------------------------------------
const total = { passed: 0, failed: 0, skipped: 0 }
console.log('\nTest summary')
for (const [name, c] of Object.entries(counts)) {
  console.log(`  ${name.padEnd(8)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`)
  total.passed += c.passed
  total.failed += c.failed
  total.skipped += c.skipped
}
if (skippedSuites.length > 0) {
  banner([
    ci
      ? 'CI=true and these suites could not run — that is a failure:'
      : 'SKIPPED — these suites did not run here:',
    ...skippedSuites.map((s) => `  - ${s}`),
    'See README.md, "Tests", for what they need.',
  ])
  if (ci) problems.push('suites were skipped in CI')
}
if (ci && total.skipped > 0) problems.push(`${total.skipped} test(s) were skipped in CI`)
for (const problem of problems) console.log(`FAILED: ${problem}`)
fs.writeFileSync(
  path.join(resultsDir, 'summary.json'),
  JSON.stringify({ projects: counts, skippedSuites, problems, ...total }, null, 2),
)
const failed = total.failed + (total.failed === 0 && problems.length > 0 ? 1 : 0)
console.log(
  `${total.passed} passed, ${failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`,
)
process.exitCode = total.failed > 0 || problems.length > 0 ? 1 : 0
