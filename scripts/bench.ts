/**
 * `npm run bench -- <scenario> [--smoke]`: measures one scenario on the built app running on the PostgreSQL server
 * (DATABASE_URL; a fresh database per run, dropped at the end) and prints exactly one JSON line on stdout; progress
 * and server output go to stderr. Budgets (docs/architecture.md §8) are reported under "budget", not gated: the exit code is
 * non-zero only when the run failed (setup errors, non-2xx responses, connection errors or timeouts).
 *
 * Scenarios share the helpers of scripts/bench-lib.ts; add one by writing a function and listing it below.
 */
import {
  type BenchOutcome,
  BenchError,
  describeRun,
  durationsFor,
  expectOk,
  failuresOf,
  freePort,
  type LoadResult,
  log,
  queryOnce,
  round,
  runClosedLoop,
  runFixedRate,
  runMain,
  startBenchServer,
  startServer,
} from './bench-lib'
import fs from 'node:fs'
import { checkoutScenario } from './bench-checkout'
import { coldStartScenario } from './bench-cold-start'
import { confirmScenario } from './bench-confirm'
import { dashboardScenario } from './bench-dashboard'
import { cpuMsOfStat } from './bench-db'
import { searchScenario } from './bench-search'

interface ScenarioOptions {
  smoke: boolean
}

const scenarios: Record<string, (options: ScenarioOptions) => Promise<BenchOutcome>> = {
  'product-page': productPage,
  search: searchScenario,
  checkout: checkoutScenario,
  confirm: confirmScenario,
  dashboard: dashboardScenario,
  'cold-start': coldStartScenario,
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 500))

/**
 * The product page against the static page. Max throughput of each (closed loop, 20 connections), then the
 * latency of the product page at a steady 200 req/s (open loop). Budgets (docs/architecture.md §8): p95 ≤ 50 ms at 200 req/s,
 * product-page throughput ≥ 0.5 × the static route's.
 *
 * Measured twice in one run on one database: first as served by default, with the anonymous page cache on
 * (PAGE_CACHE_TTL_MS, decision 027) — the headline figures — then by a server started with the cache off, under
 * `uncached`, each against the static route measured by the same server. The load is anonymous, so with the cache
 * on most responses are hits: `cacheHitShare` says how many of the paced run's were.
 */
async function productPage({ smoke }: ScenarioOptions): Promise<BenchOutcome> {
  const startedAt = Date.now()
  const budget = { p95MaxMs: 50, ratioMin: 0.5 }
  const connections = 20
  const rate = 200
  const { warmS, runS } = durationsFor(smoke)
  const cacheTtlMs =
    process.env.PAGE_CACHE_TTL_MS && process.env.PAGE_CACHE_TTL_MS !== '0'
      ? process.env.PAGE_CACHE_TTL_MS
      : '2000'

  const cached = await startBenchServer({ env: { PAGE_CACHE_TTL_MS: cacheTtlMs } })
  const [row] = await queryOnce<{ slug: string }>(
    cached.databaseUrl,
    `select slug from products where status = 'active' order by sku limit 1`,
  )
  if (!row) throw new BenchError('the seeded bench database has no active product to show')
  const productPath = `/products/${encodeURIComponent(row.slug)}`
  const staticPath = '/about'

  const runs: Array<[string, LoadResult]> = []
  const measure = async <R extends LoadResult>(label: string, run: () => Promise<R>): Promise<R> => {
    log(`${label}…`)
    const result = await run()
    runs.push([label, result])
    log(describeRun(label, result))
    await pause()
    return result
  }

  /** One server's figures: both pages' max rps and CPU per response, and the product page at the steady rate. */
  const measureServer = async (server: { baseUrl: string; pid: number }, label: string) => {
    const productUrl = `${server.baseUrl}${productPath}`
    const staticUrl = `${server.baseUrl}${staticPath}`
    await expectOk(productUrl)
    await expectOk(staticUrl)
    const cpuMs = () => cpuMsOfStat(fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8')) ?? NaN
    await measure(`${label}: warm-up ${productPath}`, () =>
      runClosedLoop({ url: productUrl, connections, durationS: warmS }),
    )
    await measure(`${label}: warm-up ${staticPath}`, () =>
      runClosedLoop({ url: staticUrl, connections, durationS: warmS }),
    )
    // The server's CPU per response: steadier than throughput on a shared machine, so it is reported beside it.
    const withCpu = async (run: () => Promise<LoadResult>) => {
      const before = cpuMs()
      const result = await run()
      return { ...result, cpuMsPerRequest: result.requests > 0 ? (cpuMs() - before) / result.requests : NaN }
    }
    const product = await measure(`${label}: max rps, product page, ${connections} connections`, () =>
      withCpu(() => runClosedLoop({ url: productUrl, connections, durationS: runS })),
    )
    const about = await measure(`${label}: max rps, ${staticPath}, ${connections} connections`, () =>
      withCpu(() => runClosedLoop({ url: staticUrl, connections, durationS: runS })),
    )
    if (product.rps < rate) {
      log(
        `warning (${label}): the product page peaked at ${product.rps.toFixed(1)} req/s, below ${rate}: at ${rate} req/s its queue grows for the whole run, so the p95 below measures that queue`,
      )
    }
    const paced = await measure(`${label}: product page at ${rate} req/s`, () =>
      runFixedRate({ url: productUrl, rate, durationS: runS }),
    )
    if (paced.lateSendP95Ms > 5) {
      log(
        `warning (${label}): sends at ${rate} req/s left up to ${paced.lateSendP95Ms.toFixed(1)} ms late (p95): the load generator, not only the server, was short of CPU`,
      )
    }
    const ratio = about.rps > 0 ? product.rps / about.rps : 0
    return {
      rps: round(product.rps, 1),
      staticRps: round(about.rps, 1),
      ratio: round(ratio, 3),
      p95Ms: round(paced.p95Ms, 1),
      p50Ms: round(paced.p50Ms, 1),
      cpuMsPerRequest: round(product.cpuMsPerRequest, 2),
      staticCpuMsPerRequest: round(about.cpuMsPerRequest, 2),
      rateRps: round(paced.rps, 1),
      cacheHitShare: round(paced.requests > 0 ? (paced.cacheHits ?? 0) / paced.requests : 0, 3),
      met: paced.p95Ms <= budget.p95MaxMs && ratio >= budget.ratioMin,
    }
  }

  const withCache = await measureServer(cached, 'cache on')
  await cached.stop()
  // The same database, served by a process that renders every request.
  const uncachedServer = await startServer({
    databaseUrl: cached.databaseUrl,
    port: await freePort(),
    env: { PAGE_CACHE_TTL_MS: '0' },
  })
  const withoutCache = await measureServer(uncachedServer, 'cache off')
  await uncachedServer.stop()

  const failures = Object.fromEntries(
    runs.flatMap(([label, result]) => {
      const failed = failuresOf(result)
      return failed ? [[label, failed]] : []
    }),
  )
  const failed = Object.keys(failures).length > 0
  if (failed)
    log(`failed: non-2xx responses, errors or timeouts during the runs: ${JSON.stringify(failures)}`)

  const { met, ...headline } = withCache
  const { met: uncachedMet, ...uncached } = withoutCache
  return {
    exitCode: failed ? 1 : 0,
    output: {
      scenario: 'product-page',
      ...headline,
      pageCacheTtlMs: Number(cacheTtlMs),
      uncached: { ...uncached, met: uncachedMet },
      durationS: round((Date.now() - startedAt) / 1000, 1),
      ...(smoke ? { smoke: true } : {}),
      product: row.slug,
      budget: { ...budget, met },
      ...(failed ? { failures } : {}),
    },
  }
}

function parseArgs(argv: string[]): { scenario: string; smoke: boolean } {
  const known = Object.keys(scenarios).join(', ')
  const usage = `usage: npm run bench -- <scenario> [--smoke]; scenarios: ${known}`
  const flags = argv.filter((arg) => arg.startsWith('-'))
  const positional = argv.filter((arg) => !arg.startsWith('-'))
  const unknownFlag = flags.find((flag) => flag !== '--smoke')
  if (unknownFlag) throw new BenchError(`unknown option ${unknownFlag}; ${usage}`)
  const [scenario, ...extra] = positional
  if (!scenario) throw new BenchError(`no scenario given; ${usage}`)
  if (extra.length > 0) throw new BenchError(`one scenario at a time, got ${positional.join(' ')}; ${usage}`)
  if (!Object.hasOwn(scenarios, scenario))
    throw new BenchError(`unknown scenario "${scenario}"; known: ${known}`)
  return { scenario, smoke: flags.includes('--smoke') }
}

await runMain(async () => {
  const { scenario, smoke } = parseArgs(process.argv.slice(2))
  const run = scenarios[scenario]
  if (!run) throw new BenchError(`unknown scenario "${scenario}"`)
  return run({ smoke })
})
