/**
 * What the benches that drive domain functions on the PostgreSQL server (checkout, confirm) share: the server to
 * use, a fresh migrated and seeded database, the CPU spent by this process and by the pool's server processes,
 * and pgbench's TPC-B as the baseline measured in the same run. Reports on stderr, like bench-lib.
 */
import { spawn } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { openPostgres } from '../db/client.server'
import { migrateDatabase } from '../db/migrate.server'
import { seedDatabase } from '../db/seed/seed.server'
import {
  BenchError,
  createBenchDatabase,
  log,
  percentiles,
  queryOnce,
  requireDatabaseUrl,
  round,
} from './bench-lib'

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

/** DATABASE_URL (checked), or the local server every machine here runs, said so on stderr. */
export function benchServerUrl(scenario: string): string {
  if (process.env.DATABASE_URL) return requireDatabaseUrl()
  log(`${scenario}: DATABASE_URL is not set; using ${DEFAULT_SERVER_URL}`)
  return DEFAULT_SERVER_URL
}

/**
 * A fresh database for the scenario on the server, migrated and seeded in demo mode without the demo history
 * (its orders would hold stock and its entries lengthen setup); dropped by the clean-up stack, unless `keep` names
 * it (then it stays for later runs). Returns its URL.
 */
export async function prepareSeededDatabase(
  serverUrl: string,
  scenario: string,
  keep?: string,
): Promise<string> {
  const database = keep
    ? await createBenchDatabase(serverUrl, keep, { keep: true })
    : await createBenchDatabase(serverUrl, `xfbf_bench_${scenario}_${process.pid}`)
  const setup = openPostgres(database.url, { max: 2 })
  try {
    const started = performance.now()
    await migrateDatabase(setup)
    await seedDatabase(setup.db, { demo: true, history: false })
    log(`${scenario}: migrated and seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await setup.close()
  }
  return database.url
}

/** p50, p95 and max of the latencies (nearest rank), NaN for none, rounded to 0.1 ms. */
export function latencyFigures(latenciesMs: readonly number[]): {
  p95Ms: number
  p50Ms: number
  maxMs: number
} {
  const [p50 = NaN, p95 = NaN, max = NaN] =
    latenciesMs.length > 0 ? percentiles(latenciesMs, [50, 95, 100]) : []
  return { p95Ms: round(p95, 1), p50Ms: round(p50, 1), maxMs: round(max, 1) }
}

// ---------------------------------------------------------------------------------------------------------------
// CPU: a diagnostic. On a machine shared with other work, the CPU spent per operation compares runs better than
// the wall-clock rate does.

/**
 * CPU time (ms) of a /proc/<pid>/stat line: utime + stime, fields 14 and 15 counted after the parenthesised
 * command (which may itself contain spaces or parentheses). Null when the line does not parse.
 */
export function cpuMsOfStat(stat: string, ticksPerSecond = 100): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null
  return ((utime + stime) * 1000) / ticksPerSecond
}

/** CPU time of the given server processes (Linux /proc; null when none can be read, e.g. a remote server). */
function processesCpuMs(pids: readonly number[]): number | null {
  let total = 0
  let seen = 0
  for (const pid of pids) {
    try {
      const ms = cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
      if (ms === null) continue
      total += ms
      seen++
    } catch {
      // not on this machine, or the process ended meanwhile
    }
  }
  return seen > 0 ? total : null
}

type CpuReading = { client: number; server: number | null }

/**
 * Measures the CPU of this process and of the server processes of the pool on the bench database — open them all
 * first (after a warm-up): the processes are listed once, here.
 */
export async function poolCpuMeter(url: string, clients: number): Promise<() => CpuReading> {
  const backends = (
    await queryOnce<{ pid: number }>(
      url,
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
  ).map((r) => r.pid)
  if (backends.length !== clients) log(`warning: ${backends.length} server processes on the bench database`)
  return () => {
    const usage = process.cpuUsage()
    return { client: (usage.user + usage.system) / 1000, server: processesCpuMs(backends) }
  }
}

/** CPU ms per operation between two readings (null where unknown or for no operations), to 0.01 ms. */
export function cpuPer(
  before: CpuReading,
  after: CpuReading,
  operations: number,
): { client: number | null; server: number | null } {
  const per = (ms: number) => (operations > 0 ? round(ms / operations, 2) : null)
  return {
    client: per(after.client - before.client),
    server: after.server === null || before.server === null ? null : per(after.server - before.server),
  }
}

// ---------------------------------------------------------------------------------------------------------------
// pgbench

/**
 * The tps of a pgbench run from its stdout. PostgreSQL 14+ prints `tps = N (without initial connection time)`;
 * older versions print an `including …` and an `excluding connections establishing` line — the excluding one is
 * the comparable figure. Null when there is no tps line at all.
 */
export function parsePgbenchTps(output: string): number | null {
  const lines = [...output.matchAll(/^tps = ([\d.]+)(?: \(([^)]*)\))?/gm)]
  if (lines.length === 0) return null
  const preferred = lines.find((m) => /without|excluding/.test(m[2] ?? '')) ?? lines[0]
  const tps = Number(preferred?.[1])
  return Number.isFinite(tps) ? tps : null
}

/** pgbench's path, or undefined — said loudly, since the run then has no baseline. */
export function findPgbench(): string | undefined {
  const candidates = [
    '/usr/bin/pgbench',
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'pgbench')),
  ]
  const found = candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
  if (!found) {
    process.stderr.write(
      '\n[bench] !!! pgbench NOT FOUND (looked at /usr/bin/pgbench and on PATH): the TPC-B baseline is skipped and ' +
        'pgbenchTps is null. Install it with `apt-get install postgresql-client`. !!!\n\n',
    )
  }
  return found
}

/** Runs pgbench; its stdout is returned (and echoed to stderr with everything else it prints). */
async function runPgbench(binary: string, args: string[]): Promise<string> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    process.stderr.write(chunk)
  })
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode) => resolve(exitCode))
  })
  if (code !== 0) throw new BenchError(`pgbench ${args.join(' ')} failed (exit code ${code})`)
  return stdout
}

/** TPC-B on a database of its own: initialised at `scale`, then `clients` clients on 2 threads for `durationS`. */
async function pgbenchTps(
  binary: string,
  serverUrl: string,
  options: { scale: number; durationS: number; clients: number },
): Promise<number> {
  const database = await createBenchDatabase(serverUrl, `xfbf_bench_pgbench_${process.pid}`)
  log(`pgbench: initialising scale ${options.scale}…`)
  await runPgbench(binary, ['-i', '-q', '-s', String(options.scale), database.url])
  log(`pgbench: TPC-B, ${options.clients} clients, 2 threads, ${options.durationS} s…`)
  const output = await runPgbench(binary, [
    '-c',
    String(options.clients),
    '-j',
    '2',
    '-T',
    String(options.durationS),
    database.url,
  ])
  const tps = parsePgbenchTps(output)
  if (tps === null) throw new BenchError('pgbench printed no "tps = …" line')
  return tps
}

export type Baseline = { tps: number | null; missing: boolean; error?: string }

/**
 * The baseline, run after the scenario so that neither disturbs the other: a missing or failed pgbench is
 * reported (tps null; a failure makes the bench exit 1) without losing the run measured before it.
 */
export async function pgbenchBaseline(
  binary: string | undefined,
  serverUrl: string,
  options: { smoke: boolean; durationS: number; clients: number },
): Promise<Baseline> {
  if (!binary) return { tps: null, missing: true }
  try {
    const tps = await pgbenchTps(binary, serverUrl, {
      scale: options.smoke ? 1 : 10,
      durationS: options.durationS,
      clients: options.clients,
    })
    log(`pgbench: ${tps.toFixed(1)} tps`)
    return { tps, missing: false }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    process.stderr.write(`\n[bench] !!! pgbench FAILED: ${message}; pgbenchTps is null !!!\n\n`)
    return { tps: null, missing: false, error: message }
  }
}

/** The baseline's fields of the JSON line: pgbench's tps and the scenario's rate as a share of it. */
export function baselineFields(baseline: Baseline, perSecond: number): Record<string, unknown> {
  return {
    pgbenchTps: baseline.tps === null ? null : round(baseline.tps, 1),
    ratioToPgbench: baseline.tps ? round(perSecond / baseline.tps, 3) : null,
    ...(baseline.missing ? { pgbenchMissing: true } : {}),
    ...(baseline.error ? { pgbenchError: baseline.error } : {}),
  }
}
