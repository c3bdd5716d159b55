import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { validIdNumbersIn } from '../support/households'

/**
 * After every spec: the web server's output for the whole run (its access log and anything it printed) holds no
 * valid 18-digit ID number — households' ID numbers are stored encrypted and never logged. Fails when nothing was
 * captured, so a broken capture cannot pass for a clean one.
 */
test('the whole run’s server output holds no valid 18-digit ID number', () => {
  const log = fs.readFileSync(path.resolve('test-results/e2e-server.log'), 'utf8')
  expect(log.length, 'the server wrote nothing to its log file').toBeGreaterThan(0)
  // The access log's lines (route patterns and statuses) are there: the capture saw the run's requests.
  expect(log).toMatch(/GET \/healthz|\/healthz/)
  expect(validIdNumbersIn(log)).toEqual([])
})
