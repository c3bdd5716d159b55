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
  type LoadResult,
  log,
  queryOnce,
  round,
  runClosedLoop,
  runFixedRate,
  runMain,
  startBenchServer,
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
 */
async function productPage({ smoke }: ScenarioOptions): Promise<BenchOutcome> {
  const startedAt = Date.now()
  const budget = { p95MaxMs: 50, ratioMin: 0.5 }
  const connections = 20
  const rate = 200
  const { warmS, runS } = durationsFor(smoke)

  const { baseUrl, databaseUrl, pid } = await startBenchServer()
  const cpuMs = () => cpuMsOfStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? NaN
  const [row] = await queryOnce<{ slug: string }>(
    databaseUrl,
    `select slug from products where status = 'active' order by sku limit 1`,
  )
  if (!row) throw new BenchError('the seeded bench database has no active product to show')
  const productUrl = `${baseUrl}/products/${encodeURIComponent(row.slug)}`
  const staticUrl = `${baseUrl}/about`
  await expectOk(productUrl)
  await expectOk(staticUrl)

  const runs: Array<[string, LoadResult]> = []
  const measure = async <R extends LoadResult>(label: string, run: () => Promise<R>): Promise<R> => {
    log(`${label}…`)
    const result = await run()
    runs.push([label, result])
    log(describeRun(label, result))
    await pause()
    return result
  }

  await measure(`warm-up ${productUrl}`, () =>
    runClosedLoop({ url: productUrl, connections, durationS: warmS }),
  )
  await measure(`warm-up ${staticUrl}`, () =>
    runClosedLoop({ url: staticUrl, connections, durationS: warmS }),
  )
  // The server's CPU per response: steadier than throughput on a shared machine, so it is reported beside it.
  const withCpu = async (run: () => Promise<LoadResult>) => {
    const before = cpuMs()
    const result = await run()
    return { ...result, cpuMsPerRequest: result.requests > 0 ? (cpuMs() - before) / result.requests : NaN }
  }
  const product = await measure(`max rps, product page, ${connections} connections`, () =>
    withCpu(() => runClosedLoop({ url: productUrl, connections, durationS: runS })),
  )
  const about = await measure(`max rps, /about, ${connections} connections`, () =>
    withCpu(() => runClosedLoop({ url: staticUrl, connections, durationS: runS })),
  )
  if (product.rps < rate) {
    log(
      `warning: the product page peaked at ${product.rps.toFixed(1)} req/s, below ${rate}: at ${rate} req/s its queue grows for the whole run, so the p95 below measures that queue`,
    )
  }
  const paced = await measure(`product page at ${rate} req/s`, () =>
    runFixedRate({ url: productUrl, rate, durationS: runS }),
  )
  if (paced.lateSendP95Ms > 5) {
    log(
      `warning: sends at ${rate} req/s left up to ${paced.lateSendP95Ms.toFixed(1)} ms late (p95): the load generator, not only the server, was short of CPU`,
    )
  }

  const ratio = about.rps > 0 ? product.rps / about.rps : 0
  const failures = Object.fromEntries(
    runs.flatMap(([label, result]) => {
      const failed = failuresOf(result)
      return failed ? [[label, failed]] : []
    }),
  )
  const failed = Object.keys(failures).length > 0
  if (failed)
    log(`failed: non-2xx responses, errors or timeouts during the runs: ${JSON.stringify(failures)}`)

  return {
    exitCode: failed ? 1 : 0,
    output: {
      scenario: 'product-page',
      rps: round(product.rps, 1),
      staticRps: round(about.rps, 1),
      ratio: round(ratio, 3),
      p95Ms: round(paced.p95Ms, 1),
      p50Ms: round(paced.p50Ms, 1),
      cpuMsPerRequest: round(product.cpuMsPerRequest, 2),
      staticCpuMsPerRequest: round(about.cpuMsPerRequest, 2),
      rateRps: round(paced.rps, 1),
      durationS: round((Date.now() - startedAt) / 1000, 1),
      ...(smoke ? { smoke: true } : {}),
      product: row.slug,
      budget: { ...budget, met: paced.p95Ms <= budget.p95MaxMs && ratio >= budget.ratioMin },
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
