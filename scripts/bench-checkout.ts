/**
 * The `checkout` scenario (DESIGN §10): order placement through `placeOrder` — the very function the checkout route
 * calls — on the PostgreSQL server, with 10 clients on a pool of 10 connections placing orders back to back for a
 * fixed time, against pgbench's TPC-B on the same server in the same run.
 *
 * Orders have 1–3 lines over every active seeded product (stocks raised so that they never run out); a share of
 * them also takes one unit of a "hot" product whose stock is kept small on purpose, so that it sells out under
 * contention during the run. Those out-of-stock rejections are expected and counted apart from errors. After the
 * run the stock is reconciled from the database: every unit held by an order must have left stock, and no more.
 *
 * Reports orders/s, p95 placement latency (every successful placement, nearest rank), statements the driver sent
 * per order placed (counted through openPostgres's onQuery hook: BEGIN and COMMIT included), oversold units,
 * pgbench's tps and, as a diagnostic for a machine shared with other work, the CPU time the client and the pool's
 * server processes spent per order. Budget: ≥ 600 orders/s at 10 clients with 0 oversold (reported, not gated:
 * the exit code is 1 only for errors, unexpected rejections, a stock mismatch or a failed pgbench).
 */
import { spawn } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { placeOrder, type PlaceOrderInput, type PlaceOrderResult } from '../app/models/orders.server'
import { bankTransfer } from '../app/services/payments/index.server'
import { systemClock } from '../app/utils/clock'
import { openPostgres, type PostgresHandle } from '../db/client.server'
import { migrateDatabase } from '../db/migrate.server'
import { seedDatabase } from '../db/seed/seed.server'
import { seededRandom, seedUuid } from '../db/seed/synthetic'
import {
  addCleanup,
  type BenchOutcome,
  BenchError,
  createBenchDatabase,
  log,
  percentiles,
  queryOnce,
  requireDatabaseUrl,
  round,
} from './bench-lib'

const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
const CLIENTS = 10
/** Share of orders that also take one unit of the hot product. */
const HOT_SHARE = 0.1
/** Stock of every other active product: far more than any run can sell. */
const PLENTY = 1_000_000
const BUDGET = { ordersPerSecondMin: 600, oversoldMax: 0 }

const account = { accountName: '演示平台', bankName: '演示银行', accountNumber: '0000 0000 0000', demo: true }
const delivery = { name: '演示', phone: '13800000000', regionCode: '350102', address: '演示路1号' }

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers (tests/unit/bench-checkout.test.ts)

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

export type StockRow = {
  productId: string
  /** Stock before the run. */
  initial: number
  /** Stock after the run. */
  final: number
  /** Units in the lines of this run's orders that still hold stock (pending payment or paid). */
  held: number
}

/**
 * Reconciles stock after a run. For each product, the units that left stock (initial − final) must equal the
 * units held by orders. `oversold` counts units held beyond what left stock (sold without being reserved — the
 * overselling the conditional update and the CHECK exist to prevent); `leaked` counts units that left stock with
 * no order holding them (a reservation without its order). Both must be 0.
 */
export function reconcileStock(rows: readonly StockRow[]): {
  oversold: number
  leaked: number
  products: string[]
} {
  let oversold = 0
  let leaked = 0
  const products: string[] = []
  for (const row of rows) {
    const discrepancy = row.initial - row.final - row.held
    if (discrepancy === 0) continue
    products.push(row.productId)
    if (discrepancy < 0) oversold += -discrepancy
    else leaked += discrepancy
  }
  return { oversold, leaked, products }
}

export type CatalogueProduct = { id: string; minOrderQty: number }

/**
 * One order of the mix: 1–3 distinct products of `pool` (each at its minimum quantity plus 0–2), and with
 * probability `hotShare` one more line for the hot product at its minimum quantity.
 */
export function pickOrderLines(
  random: () => number,
  pool: readonly CatalogueProduct[],
  hot: CatalogueProduct | undefined,
  hotShare: number,
): Array<{ productId: string; qty: number }> {
  if (pool.length === 0) throw new RangeError('no products to order')
  const count = Math.min(pool.length, 1 + Math.floor(random() * 3))
  const chosen = new Set<number>()
  while (chosen.size < count) chosen.add(Math.floor(random() * pool.length))
  const lines = [...chosen].map((index) => {
    const product = pool[index] as CatalogueProduct
    return { productId: product.id, qty: product.minOrderQty + Math.floor(random() * 3) }
  })
  if (hot && random() < hotShare) lines.push({ productId: hot.id, qty: hot.minOrderQty })
  return lines
}

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

/**
 * CPU time of the given server processes (Linux /proc; null when none can be read, e.g. a server on another
 * machine). A diagnostic: on a machine shared with other work, the CPU spent per order compares runs better than
 * the wall-clock rate does.
 */
export function processesCpuMs(pids: readonly number[]): number | null {
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

export function clientCpuMs(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

// ---------------------------------------------------------------------------------------------------------------
// pgbench

export function findPgbench(): string | undefined {
  const candidates = [
    '/usr/bin/pgbench',
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'pgbench')),
  ]
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
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

export async function pgbenchBaseline(
  binary: string,
  serverUrl: string,
  options: { scale: number; durationS: number },
): Promise<number> {
  const database = await createBenchDatabase(serverUrl, `xfbf_bench_pgbench_${process.pid}`)
  log(`pgbench: initialising scale ${options.scale}…`)
  await runPgbench(binary, ['-i', '-q', '-s', String(options.scale), database.url])
  log(`pgbench: TPC-B, ${CLIENTS} clients, 2 threads, ${options.durationS} s…`)
  const output = await runPgbench(binary, [
    '-c',
    String(CLIENTS),
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

// ---------------------------------------------------------------------------------------------------------------
// The scenario

async function prepareDatabase(serverUrl: string): Promise<string> {
  const database = await createBenchDatabase(serverUrl, `xfbf_bench_checkout_${process.pid}`)
  const setup = openPostgres(database.url, { max: 2 })
  try {
    const started = performance.now()
    await migrateDatabase(setup)
    await seedDatabase(setup.db, { demo: true, history: false })
    log(`checkout: migrated and seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    await setup.close()
  }
  return database.url
}

type Tally = {
  placed: number
  rejectedOutOfStock: number
  /** Rejections other than out of stock: the mix only orders active products at their minimum, so a bug. */
  rejectedOther: number
  errors: number
  latenciesMs: number[]
}

function newTally(): Tally {
  return { placed: 0, rejectedOutOfStock: 0, rejectedOther: 0, errors: 0, latenciesMs: [] }
}

/** `clients` loops, each placing orders back to back until `durationS` have passed; returns the wall time. */
async function runClients(options: {
  handle: PostgresHandle
  clients: number
  durationS: number
  makeInput: (client: number) => PlaceOrderInput
  tally: Tally
}): Promise<number> {
  const { handle, clients, durationS, makeInput, tally } = options
  const method = bankTransfer({ account, windowHours: 72 })
  const started = performance.now()
  const deadline = started + durationS * 1000
  let loggedErrors = 0
  const record = (result: PlaceOrderResult, latencyMs: number) => {
    if (result.ok) {
      tally.placed++
      tally.latenciesMs.push(latencyMs)
    } else if (result.errors.every((e) => e.code === 'out_of_stock')) tally.rejectedOutOfStock++
    else {
      tally.rejectedOther++
      if (loggedErrors++ < 5) log(`unexpected rejection: ${JSON.stringify(result.errors)}`)
    }
  }
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const input = makeInput(client)
        const sent = performance.now()
        try {
          record(await placeOrder(handle.db, input, systemClock, method), performance.now() - sent)
        } catch (error) {
          tally.errors++
          if (loggedErrors++ < 5) log(`placeOrder threw: ${String(error).split('\n')[0]}`)
        }
      }
    }),
  )
  return (performance.now() - started) / 1000
}

export async function checkoutScenario({ smoke }: { smoke: boolean }): Promise<BenchOutcome> {
  const startedAt = Date.now()
  const serverUrl = process.env.DATABASE_URL ? requireDatabaseUrl() : DEFAULT_SERVER_URL
  if (!process.env.DATABASE_URL) log(`checkout: DATABASE_URL is not set; using ${DEFAULT_SERVER_URL}`)
  const runS = smoke ? 1 : 10
  const warmS = smoke ? 0.3 : 2
  const hotStock = smoke ? 5 : 100

  const pgbench = findPgbench()
  if (!pgbench) {
    process.stderr.write(
      '\n[bench] !!! pgbench NOT FOUND (looked at /usr/bin/pgbench and on PATH): the TPC-B baseline is skipped and ' +
        'pgbenchTps is null. Install it with `apt-get install postgresql-client`. !!!\n\n',
    )
  }

  const url = await prepareDatabase(serverUrl)

  // The catalogue: every active product, stock raised out of reach; the hot one (first sku of minimum order 1)
  // gets a small stock that the hot share of the orders exhausts during the run.
  let statements = 0
  let counting = false
  const handle = openPostgres(url, { max: CLIENTS, onQuery: () => void (counting && statements++) })
  addCleanup('close the checkout pool', () => handle.close())
  const sql = handle.client
  const catalogue = await sql<Array<{ id: string; minOrderQty: number }>>`
    select id, min_order_qty as "minOrderQty" from products where status = 'active' order by sku`
  const hot = catalogue.find((p) => p.minOrderQty === 1)
  if (!hot || catalogue.length < 4)
    throw new BenchError('the seeded bench database has too few active products for the checkout mix')
  const pool = catalogue.filter((p) => p.id !== hot.id)
  await sql`update products set stock = ${PLENTY} where status = 'active'`
  await sql`update products set stock = ${hotStock} where id = ${hot.id}`
  const initial = new Map(
    (await sql<Array<{ id: string; stock: number }>>`select id, stock from products`).map((r) => [
      r.id,
      r.stock,
    ]),
  )
  const [before] = await sql<Array<{ n: number }>>`select count(*)::int as n from orders`
  if ((before?.n ?? 0) !== 0) throw new BenchError('the fresh bench database already has orders')

  const buyerUserId = seedUuid('user:consumer@demo.example')
  const randoms = Array.from({ length: CLIENTS }, (_, i) => seededRandom(`bench-checkout:${i}`))
  const inputFor =
    (hotShare: number) =>
    (client: number): PlaceOrderInput => ({
      buyerUserId,
      buyerChannel: 'consumer',
      buyerRegionCode: '350102',
      lines: pickOrderLines(randoms[client] as () => number, pool, hot, hotShare),
      delivery,
    })

  // Warm-up (connections opened, statements prepared, code optimised), without the hot product.
  log(`checkout: warm-up ${warmS} s…`)
  const warm = newTally()
  await runClients({ handle, clients: CLIENTS, durationS: warmS, makeInput: inputFor(0), tally: warm })
  log(`checkout: warm-up placed ${warm.placed} orders`)

  log(
    `checkout: ${CLIENTS} clients for ${runS} s, ${pool.length} products + 1 hot (stock ${hotStock}, in ${HOT_SHARE * 100}% of orders)…`,
  )
  // The server processes of the pool (all open after the warm-up): their CPU time is the server's share.
  const backends = (
    await queryOnce<{ pid: number }>(
      url,
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
  ).map((r) => r.pid)
  if (backends.length !== CLIENTS) log(`warning: ${backends.length} server processes on the bench database`)
  const serverCpuMs = () => processesCpuMs(backends)
  const tally = newTally()
  const cpuBefore = { client: clientCpuMs(), server: serverCpuMs() }
  counting = true
  const wallS = await runClients({
    handle,
    clients: CLIENTS,
    durationS: runS,
    makeInput: inputFor(HOT_SHARE),
    tally,
  })
  counting = false
  const cpuAfter = { client: clientCpuMs(), server: serverCpuMs() }
  const perOrder = (ms: number) => (tally.placed > 0 ? round(ms / tally.placed, 2) : null)
  const cpuMsPerOrder = {
    client: perOrder(cpuAfter.client - cpuBefore.client),
    server:
      cpuAfter.server === null || cpuBefore.server === null
        ? null
        : perOrder(cpuAfter.server - cpuBefore.server),
  }
  const ordersPerSecond = tally.placed / wallS
  const statementsPerOrder = tally.placed > 0 ? statements / tally.placed : NaN
  const attempts = tally.placed + tally.rejectedOutOfStock + tally.rejectedOther + tally.errors
  const [p50 = NaN, p95 = NaN, max = NaN] =
    tally.latenciesMs.length > 0 ? percentiles(tally.latenciesMs, [50, 95, 100]) : []
  log(
    `checkout: ${tally.placed} orders in ${wallS.toFixed(2)} s = ${ordersPerSecond.toFixed(1)}/s, p50 ${p50.toFixed(1)} ms, ` +
      `p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms; ${statements} statements ` +
      `(${statementsPerOrder.toFixed(2)} per order placed); rejected out of stock ${tally.rejectedOutOfStock}, ` +
      `other ${tally.rejectedOther}, errors ${tally.errors}; CPU per order: ${JSON.stringify(cpuMsPerOrder)} ms`,
  )

  // Reconcile from the database: units held by orders (pending or paid) against the stock that left.
  const held = new Map(
    (
      await sql<Array<{ productId: string; units: number }>>`
        select l.product_id as "productId", sum(l.qty)::int as units
        from order_lines l join orders o on o.id = l.order_id
        where o.status in ('pending_payment', 'paid')
        group by l.product_id`
    ).map((r) => [r.productId, r.units]),
  )
  const finals = await sql<Array<{ id: string; stock: number }>>`select id, stock from products`
  const stock = reconcileStock(
    finals.map((r) => ({
      productId: r.id,
      initial: initial.get(r.id) ?? 0,
      final: r.stock,
      held: held.get(r.id) ?? 0,
    })),
  )
  const hotFinal = finals.find((r) => r.id === hot.id)?.stock ?? NaN
  const hotSold = held.get(hot.id) ?? 0
  if (stock.products.length > 0)
    log(`STOCK MISMATCH on ${stock.products.length} products: ${JSON.stringify(stock)}`)
  if (hotFinal !== 0)
    log(
      `warning: the hot product did not sell out (${hotFinal} of ${hotStock} left): no contention at the end`,
    )
  await handle.close()

  // The baseline: a failed pgbench is reported (pgbenchTps null, exit code 1) without losing the run above.
  let pgbenchTps: number | null = null
  let pgbenchError: string | undefined
  if (pgbench) {
    try {
      pgbenchTps = await pgbenchBaseline(pgbench, serverUrl, { scale: smoke ? 1 : 10, durationS: runS })
      log(`pgbench: ${pgbenchTps.toFixed(1)} tps`)
    } catch (error) {
      pgbenchError = (error instanceof Error ? error.message : String(error)).split('\n')[0]
      process.stderr.write(`\n[bench] !!! pgbench FAILED: ${pgbenchError}; pgbenchTps is null !!!\n\n`)
    }
  }

  const failed =
    tally.errors > 0 ||
    tally.rejectedOther > 0 ||
    stock.oversold > 0 ||
    stock.leaked > 0 ||
    pgbenchError !== undefined
  const budgetMet = ordersPerSecond >= BUDGET.ordersPerSecondMin && stock.oversold <= BUDGET.oversoldMax
  return {
    exitCode: failed ? 1 : 0,
    output: {
      scenario: 'checkout',
      ordersPerSecond: round(ordersPerSecond, 1),
      p95Ms: round(p95, 1),
      p50Ms: round(p50, 1),
      maxMs: round(max, 1),
      statementsPerOrder: round(statementsPerOrder, 2),
      statementsPerAttempt: round(attempts > 0 ? statements / attempts : NaN, 2),
      oversold: stock.oversold,
      leaked: stock.leaked,
      pgbenchTps: pgbenchTps === null ? null : round(pgbenchTps, 1),
      ratioToPgbench: pgbenchTps ? round(ordersPerSecond / pgbenchTps, 3) : null,
      ...(pgbench ? {} : { pgbenchMissing: true }),
      ...(pgbenchError ? { pgbenchError } : {}),
      cpuMsPerOrder,
      placed: tally.placed,
      rejected: { outOfStock: tally.rejectedOutOfStock, other: tally.rejectedOther },
      errors: tally.errors,
      hot: { stock: hotStock, sold: hotSold, left: hotFinal },
      products: catalogue.length,
      clients: CLIENTS,
      runS: round(wallS, 2),
      durationS: round((Date.now() - startedAt) / 1000, 1),
      ...(smoke ? { smoke: true } : {}),
      budget: { ...BUDGET, met: budgetMet },
      budgetMet,
    },
  }
}
