import { afterAll, afterEach, beforeEach, expect, vi } from 'vitest'
import { closeTestDatabases } from './db'

// A console.error during a test is a defect the test did not assert on: fail the test.
let consoleError: ReturnType<typeof vi.spyOn>

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error')
})

afterEach(() => {
  const calls = consoleError.mock.calls
  consoleError.mockRestore()
  expect(calls, 'console.error was called during the test').toEqual([])
})

// Every test database a file opened is closed (and on the server dropped) once the file is done.
afterAll(closeTestDatabases)
