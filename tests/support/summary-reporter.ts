import fs from 'node:fs'
import path from 'node:path'
import type { Reporter, SerializedError, TestModule } from 'vitest/node'

export type ProjectCounts = { passed: number; failed: number; skipped: number }

/**
 * Writes per-project counts (unit, pglite, server) to test-results/vitest-summary.json, which scripts/test-all.ts
 * reads to print the closing `N passed, N failed` line and to refuse a database project that ran nothing.
 * A test file that fails to load counts as one failure.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    const projects: Record<string, ProjectCounts> = {}
    for (const testModule of testModules) {
      const counts = (projects[testModule.project.name] ??= { passed: 0, failed: 0, skipped: 0 })
      let tests = 0
      for (const test of testModule.children.allTests()) {
        tests++
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
      if (tests === 0 || testModule.errors().length > 0) {
        if (testModule.state() === 'failed' || testModule.errors().length > 0) counts.failed++
      }
    }
    const file = path.resolve('test-results/vitest-summary.json')
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify({ projects, unhandledErrors: unhandledErrors.length }, null, 2))
  }
}
