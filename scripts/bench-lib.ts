/**
 * Building blocks of `npm run bench` (scripts/bench.ts): a fresh database on the PostgreSQL server, the built app
 * started on it as a child process, closed-loop load (autocannon), paced open-loop load, percentiles, and a
 * clean-up stack that also runs on failure and on SIGINT/SIGTERM. Only the final JSON line goes to stdout;
 * everything here reports on stderr.
 */
import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import readline from 'node:readline'
import autocannon from 'autocannon'
import postgres from 'postgres'

/** A failure the user can act on: printed as one `Error: …` line, exit code 1. */
export class BenchError extends Error {}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/**
 * Nearest-rank percentile: the smallest sample such that at least p % of the samples are ≤ it (p in (0, 100]).
 * Works on a sorted copy; the input is left alone.
 */
export function percentile(values: readonly number[], p: number): number {
  return percentiles(values, [p])[0] as number
}

/** Several nearest-rank percentiles of one sample, sorting it once. */
export function percentiles(values: readonly number[], ps: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('percentile of an empty sample')
  const sorted = Float64Array.from(values).sort()
  if (Number.isNaN(sorted[sorted.length - 1])) throw new RangeError('percentile of a sample containing NaN')
  return ps.map((p) => {
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`)
    // p * n / 100 rather than p / 100 * n: exact for integer p, so p = 7 of 100 samples is rank 7, not 8.
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9)))
    return sorted[rank - 1] as number
  })
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

// ---------------------------------------------------------------------------------------------------------------
// Clean-up: a stack run in reverse order at the end, on failure, and on SIGINT/SIGTERM

interface Cleanup {
  label: string
  run: () => Promise<void>
}

const cleanups: Cleanup[] = []
let signalled = false

export function addCleanup(label: string, run: () => Promise<void>): void {
  cleanups.push({ label, run })
}

let cleaning: Promise<void> | undefined

/** Runs the clean-ups once, however many callers (the normal end, a signal) ask; later callers wait for it. */
function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      try {
        await cleanup.run()
      } catch (error) {
        log(`clean-up "${cleanup.label}" failed: ${messageOf(error)}`)
      }
    }
  })()
  return cleaning
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

export interface BenchOutcome {
  /** The one JSON line printed on stdout (omitted when the run produced nothing to report). */
  output?: Record<string, unknown>
  exitCode: number
}

/**
 * Runs a bench body: prints its JSON line on stdout, turns a thrown error into one `Error: …` line and exit code
 * 1, and always runs the clean-ups (stop the server, drop the database) — also on SIGINT/SIGTERM.
 */
export async function runMain(body: () => Promise<BenchOutcome>): Promise<never> {
  let firstSignalAt = 0
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // npm and tsx relay a Ctrl-C to this process a second time: only a signal well after the first abandons.
      if (Date.now() - firstSignalAt < 3_000) return
      const left = cleanups.map((c) => c.label).join(', ')
      log(`${signal} again: exiting without finishing the clean-up${left ? ` (left: ${left})` : ''}`)
      process.exit(130)
    }
    signalled = true
    firstSignalAt = Date.now()
    log(`${signal}: stopping the server and dropping the bench database…`)
    void runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  let outcome: BenchOutcome
  try {
    outcome = await body()
  } catch (error) {
    if (!signalled) console.error(`Error: ${messageOf(error)}`)
    outcome = { exitCode: 1 }
  }
  if (signalled) return new Promise<never>(() => {}) // the signal handler finishes the clean-up and exits
  await runCleanups()
  if (outcome.output) process.stdout.write(`${JSON.stringify(outcome.output)}\n`)
  // Exit explicitly: keep-alive sockets and timers of the load generators must not hold the process open.
  process.exitCode = outcome.exitCode
  return new Promise<never>(() => process.stdout.write('', () => process.exit(outcome.exitCode)))
}

// ---------------------------------------------------------------------------------------------------------------
// Environment, build, database

const DATABASE_URL_EXAMPLE = 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres'

/** The bench runs the built app on the PostgreSQL server (docs/architecture.md §8): no DATABASE_URL, no bench. */
export function requireDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL
  if (!url) {
    throw new BenchError(
      `the bench runs the built app on a PostgreSQL server: set DATABASE_URL to a role that may CREATE DATABASE, e.g. ${DATABASE_URL_EXAMPLE} npm run bench -- product-page`,
    )
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new BenchError(
      `DATABASE_URL must start with postgres:// or postgresql:// (e.g. ${DATABASE_URL_EXAMPLE})`,
    )
  }
  return url
}

/** The URL of database `name` on the server of `serverUrl` (same role, host and options). */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Runs a command with its output on our stderr (stdout is reserved for the JSON line). */
export async function runCommand(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 2, 2] })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (exitCode) => resolve(exitCode))
  })
  if (code !== 0) throw new BenchError(`${command} ${args.join(' ')} failed (exit code ${code})`)
}

export async function buildIfNeeded(): Promise<void> {
  log('building the app if the sources changed…')
  await runCommand('node', ['scripts/build-if-needed.js'])
}

export interface BenchDatabase {
  name: string
  url: string
}

/**
 * Creates database `name` on the server and registers its drop (`with (force)`) as a clean-up — unless `keep`, for a
 * database a later run re-uses (the dashboard's half-hour ten-million-line setup, BENCH_DASHBOARD_DB).
 */
export async function createBenchDatabase(
  serverUrl: string,
  name: string,
  { keep = false }: { keep?: boolean } = {},
): Promise<BenchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new BenchError(`unsafe database name ${name}`)
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await admin.unsafe(`create database "${name}"`)
  } catch (error) {
    throw new BenchError(`could not create database ${name} on DATABASE_URL: ${messageOf(error)}`)
  } finally {
    await admin.end({ timeout: 5 })
  }
  log(`created database ${name}${keep ? ' (kept after the run)' : ''}`)
  if (keep) return { name, url: databaseUrlFor(serverUrl, name) }
  addCleanup(`drop database ${name}`, async () => {
    const dropper = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`)
      log(`dropped database ${name}`)
    } finally {
      await dropper.end({ timeout: 5 })
    }
  })
  return { name, url: databaseUrlFor(serverUrl, name) }
}

/** One query on a short-lived connection (closed before load starts, so it takes nothing from the server). */
export async function queryOnce<Row extends Record<string, unknown>>(
  url: string,
  text: string,
): Promise<Row[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    return [...(await sql.unsafe<Row[]>(text))]
  } finally {
    await sql.end({ timeout: 5 })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server under test

/** A port the OS says is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export interface RunningServer {
  baseUrl: string
  /** From spawning the process to the first 200 from GET /healthz. */
  readyMs: number
  /** Access-log lines the server wrote, by status class ("2xx", "4xx", …); they are not echoed. */
  accessLog: Record<string, number>
  /** The server's process id (its CPU time is read from /proc). */
  pid: number
  stop(): Promise<void>
}

// `[2025-01-01T00:00:00.000Z] GET /path 200 1.2ms` (server.ts)
const ACCESS_LINE = /^\[[^\]]+\] [A-Z]+ \S+ (\d)\d\d [\d.]+ms$/
const ECHOED_ERROR_LINES = 20

/**
 * Starts the built app (`node build/server.js`, as `npm start` runs it, NODE_ENV=production, APP_MODE=demo: it migrates and seeds the empty
 * database) in its own process group on 127.0.0.1, waits for GET /healthz to answer 200, and registers its stop.
 *
 * The server's output is read here rather than inherited: its per-request access log is counted, not echoed (a
 * terminal on stderr would otherwise slow the server down and flood the screen), apart from the first few non-2xx
 * lines; every other line goes to stderr prefixed `[server]`.
 */
export async function startServer(options: {
  databaseUrl: string
  port: number
  readyTimeoutMs?: number
  /** More environment for the server (the product-page bench turns the page cache off with PAGE_CACHE_TTL_MS=0). */
  env?: Record<string, string>
}): Promise<RunningServer> {
  const { databaseUrl, port } = options
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000
  const baseUrl = `http://127.0.0.1:${port}`
  const spawnedAt = Date.now()
  const child = spawn('node', ['build/server.js'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      APP_MODE: 'demo',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_SQL: '0',
      ...options.env,
    },
  })
  const pid = child.pid
  if (pid === undefined) throw new BenchError('could not start the server (node build/server.js)')

  const accessLog: Record<string, number> = {}
  const tail: string[] = []
  let echoedErrors = 0
  const onLine = (line: string) => {
    const access = ACCESS_LINE.exec(line)
    if (access) {
      const status = `${access[1]}xx`
      accessLog[status] = (accessLog[status] ?? 0) + 1
      if (status === '2xx' || status === '3xx' || ++echoedErrors > ECHOED_ERROR_LINES) return
    }
    tail.push(line)
    if (tail.length > 40) tail.shift()
    process.stderr.write(`[server] ${line}\n`)
  }
  readline.createInterface({ input: child.stdout }).on('line', onLine)
  readline.createInterface({ input: child.stderr }).on('line', onLine)

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      resolve()
    }),
  )
  // Last resort if this process dies without running its clean-ups: never leave a server behind.
  const killGroup = () => {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.on('exit', killGroup)

  const groupAlive = () => {
    try {
      process.kill(-pid, 0)
      return true
    } catch {
      return false
    }
  }
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    if (groupAlive()) {
      process.kill(-pid, 'SIGTERM') // the whole group, should the server ever start children
      const deadline = Date.now() + 10_000
      while (groupAlive() && Date.now() < deadline) await sleep(100)
      if (groupAlive()) {
        log('the server did not stop within 10 s of SIGTERM: killing it')
        killGroup()
      }
    }
    await Promise.race([exit, sleep(2_000)])
    process.off('exit', killGroup)
    const counts = Object.entries(accessLog)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ')
    log(`server stopped (access log: ${counts || 'empty'})`)
  }
  addCleanup('stop the server', stop)

  log(`starting the server on ${baseUrl} (migrates and seeds the bench database)…`)
  const started = spawnedAt
  for (;;) {
    if (exited) {
      throw new BenchError(
        `the server exited before answering /healthz (code ${exited.code ?? exited.signal}); its last line: ${tail.at(-1) ?? '(none)'}`,
      )
    }
    if (Date.now() - started > readyTimeoutMs) {
      throw new BenchError(
        `the server did not answer GET /healthz with 200 within ${readyTimeoutMs / 1000} s`,
      )
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) })
      await response.arrayBuffer()
      if (response.status === 200) break
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  const readyMs = Date.now() - started
  log(`server ready in ${(readyMs / 1000).toFixed(1)} s`)
  return { baseUrl, readyMs, accessLog, pid, stop }
}

/** Fails loudly unless GET `url` answers 200 (no redirects followed): measuring a 404 page measures nothing. */
export async function expectOk(url: string): Promise<void> {
  let status: number
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) })
    await response.arrayBuffer()
    status = response.status
  } catch (error) {
    throw new BenchError(`GET ${url} failed before measuring: ${messageOf(error)}`)
  }
  if (status !== 200) throw new BenchError(`GET ${url} answered ${status}, expected 200: nothing to measure`)
}

// ---------------------------------------------------------------------------------------------------------------
// Load

export interface LoadResult {
  /** Responses received (any status). */
  requests: number
  durationS: number
  /** Responses per second over the run. */
  rps: number
  p50Ms: number
  p95Ms: number
  maxMs: number
  non2xx: number
  /** Responses the server answered from its page cache (`X-Page-Cache: hit`; decision 027). */
  cacheHits?: number
  /** Connection errors and timeouts (timeouts are also counted in `timeouts`). */
  errors: number
  timeouts: number
}

export function failuresOf(
  result: LoadResult,
): { non2xx: number; errors: number; timeouts: number } | undefined {
  const { non2xx, errors, timeouts } = result
  return non2xx + errors + timeouts > 0 ? { non2xx, errors, timeouts } : undefined
}

function latencySummary(latencies: readonly number[]): Pick<LoadResult, 'p50Ms' | 'p95Ms' | 'maxMs'> {
  if (latencies.length === 0) return { p50Ms: NaN, p95Ms: NaN, maxMs: NaN }
  const [p50Ms = NaN, p95Ms = NaN, maxMs = NaN] = percentiles(latencies, [50, 95, 100])
  return { p50Ms, p95Ms, maxMs }
}

/**
 * Closed loop (autocannon): `connections` connections each sending its next request as soon as the previous one
 * is answered, for `durationS` seconds — the maximum throughput at that concurrency. Latencies are every
 * response's own time, recorded from autocannon's `response` events.
 */
export async function runClosedLoop(options: {
  url: string
  connections: number
  durationS: number
}): Promise<LoadResult> {
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: options.url, connections: options.connections, duration: options.durationS, timeout: 10 },
      (error: unknown, res: autocannon.Result) => (error ? reject(error) : resolve(res)),
    )
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
  })
  const requests = result.requests.total
  return {
    requests,
    durationS: result.duration,
    rps: result.duration > 0 ? requests / result.duration : 0,
    ...latencySummary(latencies),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

/**
 * Open loop at a fixed rate: one request every 1000/rate ms for `durationS` seconds, each sent on schedule
 * whether or not earlier ones have been answered (keep-alive connections, as many as are in flight). A request's
 * latency runs from its send (waiting for a free connection included) to the end of its response. How late the
 * sends left compared with their schedule is reported separately (`lateSendP95Ms`): timers have a resolution of
 * about a millisecond, and a larger figure means this process, not the server, could not keep the pace.
 *
 * Not autocannon's `overallRate`: autocannon spreads the rate over its connections and lets each connection send
 * its share of the second back to back at the start of every second, so 200 req/s over 20 connections arrives as
 * a burst of 20 concurrent requests each second — a closed-loop burst whose latencies say nothing about a steady
 * 200 req/s.
 */
export async function runFixedRate(options: {
  url: string
  rate: number
  durationS: number
  /** Per request, queueing included (default 30 s: an overloaded page shows as a huge p95 before it times out). */
  timeoutMs?: number
  maxSockets?: number
}): Promise<LoadResult & { lateSendP95Ms: number }> {
  const { rate, durationS } = options
  const timeoutMs = options.timeoutMs ?? 30_000
  const target = new URL(options.url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 })
  const total = Math.max(1, Math.round(rate * durationS))
  const intervalMs = 1000 / rate
  const latencies: number[] = []
  const lateness: number[] = []
  let non2xx = 0
  let cacheHits = 0
  let errors = 0
  let timeouts = 0
  let settled = 0
  let lastResponseAt = 0
  const start = performance.now()

  await new Promise<void>((resolve) => {
    const fire = (dueAt: number) => {
      const sentAt = performance.now()
      lateness.push(sentAt - dueAt)
      let done = false
      const finish = (outcome: { status: number } | { error: 'error' | 'timeout' }) => {
        if (done) return
        done = true
        clearTimeout(timer)
        const now = performance.now()
        if ('status' in outcome) {
          latencies.push(now - sentAt)
          lastResponseAt = now
          if (outcome.status < 200 || outcome.status > 299) non2xx++
        } else {
          errors++
          if (outcome.error === 'timeout') timeouts++
        }
        if (++settled === total) resolve()
      }
      const request = http.get(target, { agent }, (response) => {
        if (response.headers['x-page-cache'] === 'hit') cacheHits++
        response.on('end', () => finish({ status: response.statusCode ?? 0 }))
        response.on('error', () => finish({ error: 'error' }))
        response.on('close', () =>
          finish(response.complete ? { status: response.statusCode ?? 0 } : { error: 'error' }),
        )
        response.resume()
      })
      request.on('error', () => finish({ error: 'error' }))
      const timer = setTimeout(() => {
        finish({ error: 'timeout' })
        request.destroy()
      }, timeoutMs)
    }
    let sent = 0
    const pump = () => {
      const now = performance.now()
      while (sent < total && start + sent * intervalMs <= now) fire(start + sent++ * intervalMs)
      if (sent < total) setTimeout(pump, Math.max(0, start + sent * intervalMs - performance.now()))
    }
    pump()
  })
  agent.destroy()

  const elapsedS = ((lastResponseAt || performance.now()) - start) / 1000
  return {
    requests: latencies.length,
    durationS: round(elapsedS, 2),
    rps: elapsedS > 0 ? latencies.length / elapsedS : 0,
    ...latencySummary(latencies),
    non2xx,
    cacheHits,
    errors,
    timeouts,
    lateSendP95Ms: percentile(lateness, 95),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Putting it together

export interface BenchServer {
  baseUrl: string
  /** The bench database (fresh, migrated and seeded by the server's demo start). */
  databaseUrl: string
  /** The server's process id. */
  pid: number
  /** Stops the server before the end of the run (the database stays until the clean-up drops it). */
  stop(): Promise<void>
}

/**
 * Everything a scenario measures against: DATABASE_URL checked, the app built if needed, a fresh database
 * `xfbf_bench_<pid>` on the server, and the built app started on it on a free port of 127.0.0.1. The server's
 * stop and the database's drop are registered clean-ups (runMain runs them).
 */
export async function startBenchServer(options: { env?: Record<string, string> } = {}): Promise<BenchServer> {
  const serverUrl = requireDatabaseUrl()
  await buildIfNeeded()
  const database = await createBenchDatabase(serverUrl, `xfbf_bench_${process.pid}`)
  const server = await startServer({ databaseUrl: database.url, port: await freePort(), env: options.env })
  return { baseUrl: server.baseUrl, databaseUrl: database.url, pid: server.pid, stop: server.stop }
}

/** Durations of a scenario: short ones for `--smoke` (a mechanics check), real ones otherwise. */
export function durationsFor(smoke: boolean): { warmS: number; runS: number } {
  return smoke ? { warmS: 1, runS: 2 } : { warmS: 2, runS: 10 }
}

export function describeRun(label: string, result: LoadResult): string {
  const failures = failuresOf(result)
  return (
    `${label}: ${result.rps.toFixed(1)} req/s over ${result.durationS} s, p50 ${result.p50Ms.toFixed(1)} ms, ` +
    `p95 ${result.p95Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms` +
    (failures ? ` — FAILURES: ${JSON.stringify(failures)}` : '')
  )
}
