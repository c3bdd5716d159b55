/**
 * The `checkout` scenario (docs/architecture.md §8): order placement through `placeOrder` — the very function the checkout route
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
import { performance } from 'node:perf_hooks'
import { placeOrder, type PlaceOrderInput, type PlaceOrderResult } from '../app/domains/orders/index.server'
import { bankTransfer } from '../app/domains/payments/index.server'
import { systemClock } from '../app/utils/clock'
import { openPostgres, type PostgresHandle } from '../db/client.server'
import { seededRandom, seedUuid } from '../db/seed/synthetic'
import {
  baselineFields,
  benchServerUrl,
  cpuPer,
  findPgbench,
  latencyFigures,
  pgbenchBaseline,
  poolCpuMeter,
  prepareSeededDatabase,
} from './bench-db'
import { addCleanup, type BenchOutcome, BenchError, log, round } from './bench-lib'

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

// ---------------------------------------------------------------------------------------------------------------
// The scenario

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
  const serverUrl = benchServerUrl('checkout')
  const runS = smoke ? 1 : 10
  const warmS = smoke ? 0.3 : 2
  const hotStock = smoke ? 5 : 100

  const pgbench = findPgbench()

  const url = await prepareSeededDatabase(serverUrl, 'checkout')

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
  const cpu = await poolCpuMeter(url, CLIENTS)
  const tally = newTally()
  const cpuBefore = cpu()
  counting = true
  const wallS = await runClients({
    handle,
    clients: CLIENTS,
    durationS: runS,
    makeInput: inputFor(HOT_SHARE),
    tally,
  })
  counting = false
  const cpuAfter = cpu()
  const cpuMsPerOrder = cpuPer(cpuBefore, cpuAfter, tally.placed)
  const ordersPerSecond = tally.placed / wallS
  const statementsPerOrder = tally.placed > 0 ? statements / tally.placed : NaN
  const attempts = tally.placed + tally.rejectedOutOfStock + tally.rejectedOther + tally.errors
  const latency = latencyFigures(tally.latenciesMs)
  log(
    `checkout: ${tally.placed} orders in ${wallS.toFixed(2)} s = ${ordersPerSecond.toFixed(1)}/s, p50 ${latency.p50Ms} ms, ` +
      `p95 ${latency.p95Ms} ms, max ${latency.maxMs} ms; ${statements} statements ` +
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

  const baseline = await pgbenchBaseline(pgbench, serverUrl, { smoke, durationS: runS, clients: CLIENTS })

  const failed =
    tally.errors > 0 ||
    tally.rejectedOther > 0 ||
    stock.oversold > 0 ||
    stock.leaked > 0 ||
    baseline.error !== undefined
  const budgetMet = ordersPerSecond >= BUDGET.ordersPerSecondMin && stock.oversold <= BUDGET.oversoldMax
  return {
    exitCode: failed ? 1 : 0,
    output: {
      scenario: 'checkout',
      ordersPerSecond: round(ordersPerSecond, 1),
      ...latency,
      statementsPerOrder: round(statementsPerOrder, 2),
      statementsPerAttempt: round(attempts > 0 ? statements / attempts : NaN, 2),
      oversold: stock.oversold,
      leaked: stock.leaked,
      ...baselineFields(baseline, ordersPerSecond),
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
