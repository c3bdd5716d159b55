import { spawn } from 'node:child_process'
import {
  type BenchOutcome,
  BenchError,
  buildIfNeeded,
  createBenchDatabase,
  freePort,
  log,
  percentile,
  requireDatabaseUrl,
  round,
  startServer,
} from './bench-lib'

/**
 * Cold start of the compiled server on a built, seeded database: the first start migrates and seeds (not timed);
 * then the server is started `runs` times, each timed from spawn to the first 200 from /healthz. Baseline, in the
 * same run: plain `node` starting an HTTP server that answers at once — what no app can beat on this machine.
 * Budget (docs/architecture.md §8): ≤ 5 s.
 */
export async function coldStartScenario({ smoke }: { smoke: boolean }): Promise<BenchOutcome> {
  const budget = { maxMs: 5_000 }
  const runs = smoke ? 1 : 5
  const serverUrl = requireDatabaseUrl()
  await buildIfNeeded()
  const database = await createBenchDatabase(serverUrl, `xfbf_bench_${process.pid}`)
  const first = await startServer({ databaseUrl: database.url, port: await freePort() })
  await first.stop()

  const starts: number[] = []
  const baselines: number[] = []
  for (let i = 0; i < runs; i++) {
    baselines.push(await bareNodeStartMs(await freePort()))
    const server = await startServer({ databaseUrl: database.url, port: await freePort() })
    starts.push(server.readyMs)
    await server.stop()
  }
  const p50Ms = percentile(starts, 50)
  const maxMs = Math.max(...starts)
  const baselineMs = percentile(baselines, 50)
  log(`cold starts: ${starts.map((ms) => `${ms} ms`).join(', ')}; bare node: ${baselines.join(', ')} ms`)
  return {
    exitCode: 0,
    output: {
      scenario: 'cold-start',
      runs,
      p50Ms: round(p50Ms, 0),
      maxMs: round(maxMs, 0),
      baselineMs: round(baselineMs, 0),
      ratio: round(baselineMs > 0 ? p50Ms / baselineMs : 0, 1),
      ...(smoke ? { smoke: true } : {}),
      budget: { ...budget, met: maxMs <= budget.maxMs },
    },
  }
}

/** Spawn to first answer of a one-line node HTTP server. */
async function bareNodeStartMs(port: number): Promise<number> {
  const started = Date.now()
  const child = spawn(
    process.execPath,
    ['-e', `require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1')`],
    { stdio: 'ignore' },
  )
  try {
    for (;;) {
      if (Date.now() - started > 30_000) throw new BenchError('a bare node server did not answer within 30 s')
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) })
        await response.arrayBuffer()
        return Date.now() - started
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  } finally {
    child.kill('SIGKILL')
  }
}
