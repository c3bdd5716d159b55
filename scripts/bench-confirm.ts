/**
 * The `confirm` scenario (docs/architecture.md §8): payment confirmation with the ledger, through `confirmBankTransfer` — the
 * very function finance's page calls: the payment confirmed, one hash-chained entry per order line, household
 * credits, rollups, target reach and the audit event, in one transaction — on the PostgreSQL server, with 10
 * clients on a pool of 10 connections confirming back to back for a fixed time, against pgbench's TPC-B on the
 * same server in the same run.
 *
 * Setup (not timed): a fresh database, migrated and seeded (demo), and enough pending orders placed through
 * `placeOrder` to keep the clients busy for the whole run: 1–3 lines over every active product, bought mostly from
 * Fuzhou's districts (3501xx: the Fuzhou→Dingxi targets and their reach) and otherwise from a county of every
 * other province (Zhejiang's count toward 山海协作); a warm-up; then VACUUM (ANALYZE), so that the run meets the
 * tables — the ledger included — as autovacuum would leave them, not fresh from a bulk load without planner
 * statistics (nor autovacuum catching up during the run). The payments are confirmed in a shuffled order, each for
 * its exact amount.
 *
 * After the run the ledger is checked from the database: the chain recomputed (`verifyChain`), the rollups
 * compared with the raw sums of the entries, every confirmed line with exactly one sale entry, and the audit
 * chain recomputed (also: every entry with proceeds and beneficiaries credited exactly its proceeds; households
 * reached). Reports confirmations/s, p95 latency (every successful confirmation, nearest rank), entries per
 * confirmation, pgbench's tps and the CPU per confirmation of the client and the pool's server processes, and the
 * statements the driver sent per confirmation (openPostgres's onQuery hook: BEGIN and COMMIT included), counted
 * over a few hundred more confirmations after the run: with the hook set, postgres.js records a stack trace for
 * every query, which costs the client about 5% of its CPU — kept out of the measured run.
 * Budget: ≥ 250 confirmations/s at 10 clients (reported, not gated: the exit code is 1 only for errors,
 * unexpected results, a failed check or a failed pgbench).
 */
import { performance } from 'node:perf_hooks'
import { confirmBankTransfer } from '../app/domains/payments/index.server'
import { ledgerChainSource } from '../app/domains/ledger/index.server'
import { rollupMismatches } from '../app/domains/ledger/index.server'
import { verifyAuditChain } from '../app/domains/audit/index.server'
import { placeOrder } from '../app/domains/orders/index.server'
import { verifyChain } from '../app/services/hash-chain/index.server'
import { bankTransfer } from '../app/domains/payments/index.server'
import { systemClock } from '../app/utils/clock'
import { openPostgres, type PostgresHandle } from '../db/client.server'
import { seededRandom, seedUuid } from '../db/seed/synthetic'
import { type CatalogueProduct, pickOrderLines } from './bench-checkout'
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
const BUDGET = { perSecondMin: 250 }
/** Share of orders bought from Fuzhou's districts; the rest from a county of every other province. */
const FUZHOU_SHARE = 0.6
/** Orders are placed for this many confirmations per second over warm-up and run (a run faster than that ends early). */
const PLANNED_PER_SECOND = { full: 1200, smoke: 600 }
/** Confirmations whose statements are counted, after the run (counting slows the driver down: not in the run). */
const COUNTED = { full: 400, smoke: 50 }
const PLENTY = 1_000_000

const account = { accountName: '演示平台', bankName: '演示银行', accountNumber: '0000 0000 0000', demo: true }

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers (tests/unit/bench-confirm.test.ts)

/**
 * A buyer region: with probability `fuzhouShare` one of `fuzhou` (uniformly), otherwise one of `others`. Either
 * list may be empty, in which case the other one is used.
 */
export function pickBuyerRegion(
  random: () => number,
  fuzhou: readonly string[],
  others: readonly string[],
  fuzhouShare: number,
): string {
  if (fuzhou.length === 0 && others.length === 0) throw new RangeError('no buyer regions')
  const fromFuzhou = others.length === 0 || (fuzhou.length > 0 && random() < fuzhouShare)
  const list = fromFuzhou ? fuzhou : others
  return list[Math.floor(random() * list.length)] as string
}

/**
 * How many pending orders to place so that `perSecond` confirmations a second would not run out during warm-up
 * and run: at least one per client.
 */
export function ordersToPlace(options: {
  perSecond: number
  warmS: number
  runS: number
  clients: number
}): number {
  const { perSecond, warmS, runS, clients } = options
  if (!(perSecond > 0) || !(warmS >= 0) || !(runS > 0) || !(clients >= 1))
    throw new RangeError('perSecond and runS must be positive, warmS not negative, clients at least 1')
  return Math.max(clients, Math.ceil(perSecond * (warmS + runS)))
}

/** A Fisher–Yates shuffle of a copy of `items` driven by `random` (deterministic for a seeded one). */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
  }
  return copy
}

/** One buyer region per province other than Fujian (35): its first county by code. */
export function firstCountyPerProvince(countyCodes: readonly string[], except: string): string[] {
  const byProvince = new Map<string, string>()
  for (const code of [...countyCodes].sort()) {
    const province = code.slice(0, 2)
    if (province === except || byProvince.has(province)) continue
    byProvince.set(province, code)
  }
  return [...byProvince.values()]
}

// ---------------------------------------------------------------------------------------------------------------
// Setup

type Payment = { id: string; amountFen: bigint }

/** Places `count` pending orders with 10 clients through placeOrder; returns their payments, shuffled. */
async function placeOrders(handle: PostgresHandle, count: number): Promise<Payment[]> {
  const sql = handle.client
  const catalogue = await sql<Array<CatalogueProduct>>`
    select id, min_order_qty as "minOrderQty" from products where status = 'active' order by sku`
  if (catalogue.length < 4) throw new BenchError('the seeded bench database has too few active products')
  await sql`update products set stock = ${PLENTY} where status = 'active'`
  const counties = (
    await sql<Array<{ code: string }>>`select code from regions where level = 'county' order by code`
  ).map((r) => r.code)
  const fuzhou = counties.filter((code) => code.startsWith('3501'))
  const others = firstCountyPerProvince(counties, '35')
  if (fuzhou.length === 0 || others.length === 0)
    throw new BenchError('the seeded regions have no Fuzhou districts or no other provinces')

  const buyerUserId = seedUuid('user:consumer@demo.example')
  const method = bankTransfer({ account, windowHours: 72 })
  const started = performance.now()
  let next = 0
  let rejected = 0
  const orderIds: string[] = []
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const random = seededRandom(`bench-confirm:orders:${client}`)
      while (next < count) {
        next++
        const regionCode = pickBuyerRegion(random, fuzhou, others, FUZHOU_SHARE)
        const result = await placeOrder(
          handle.db,
          {
            buyerUserId,
            buyerChannel: 'consumer',
            buyerRegionCode: regionCode,
            lines: pickOrderLines(random, catalogue, undefined, 0),
            delivery: { name: '演示', phone: '13800000000', regionCode, address: '演示路1号' },
          },
          systemClock,
          method,
        )
        if (result.ok) orderIds.push(result.orderId)
        else rejected++
      }
    }),
  )
  if (rejected > 0) throw new BenchError(`${rejected} of ${count} setup orders were rejected`)
  // Only this run's orders: the demo seed has pending (and expired) orders of its own.
  const payments = await sql<Array<{ id: string; amountFen: string }>>`
    select id, amount_fen::text as "amountFen" from payments
    where order_id = any(${orderIds}::uuid[]) and status = 'pending' order by id`
  if (payments.length !== count)
    throw new BenchError(`${payments.length} pending payments for ${count} orders`)
  const [summary] = await sql<Array<{ lines: number; fuzhou: number; regions: number }>>`
    select (select count(*)::int from order_lines where order_id = any(${orderIds}::uuid[])) as lines,
           count(*) filter (where buyer_region_code like '3501%')::int as fuzhou,
           count(distinct buyer_region_code)::int as regions
    from orders where id = any(${orderIds}::uuid[])`
  log(
    `confirm: placed ${count} orders (${summary?.lines} lines, ${summary?.fuzhou} from Fuzhou, ` +
      `${summary?.regions} buyer regions) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  return shuffled(
    seededRandom('bench-confirm:shuffle'),
    payments.map((p) => ({ id: p.id, amountFen: BigInt(p.amountFen) })),
  )
}

// ---------------------------------------------------------------------------------------------------------------
// The run

type Tally = {
  confirmed: number
  /** Results other than ok: every payment is pending and confirmed for its exact amount, so a bug. */
  unexpected: number
  errors: number
  latenciesMs: number[]
}

function newTally(): Tally {
  return { confirmed: 0, unexpected: 0, errors: 0, latenciesMs: [] }
}

/**
 * `clients` loops, each confirming the next payment of the shared queue as soon as its previous one is done, until
 * `durationS` have passed, `limit` payments were taken or the queue is empty; returns the wall time and whether the
 * queue ran out.
 */
async function runClients(options: {
  handle: PostgresHandle
  clients: number
  durationS: number
  queue: { payments: Payment[]; next: number }
  tally: Tally
  /** Stop after this many confirmations (all clients together), whatever the time. */
  limit?: number
}): Promise<{ wallS: number; exhausted: boolean }> {
  const { handle, clients, durationS, queue, tally } = options
  const end = options.limit === undefined ? Infinity : queue.next + options.limit
  const financeUserId = seedUuid('user:finance@demo.example')
  const started = performance.now()
  const deadline = started + durationS * 1000
  let exhausted = false
  let logged = 0
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline && queue.next < end) {
        const payment = queue.payments[queue.next]
        if (!payment) {
          exhausted = true
          break
        }
        queue.next++
        const sent = performance.now()
        try {
          const result = await confirmBankTransfer(
            handle.db,
            { paymentId: payment.id, receivedFen: payment.amountFen, financeUserId },
            systemClock,
          )
          if (result.ok) {
            tally.confirmed++
            tally.latenciesMs.push(performance.now() - sent)
          } else {
            tally.unexpected++
            if (logged++ < 5) log(`unexpected result: ${JSON.stringify(result)}`)
          }
        } catch (error) {
          tally.errors++
          if (logged++ < 5) log(`confirmBankTransfer threw: ${String(error).split('\n')[0]}`)
        }
      }
    }),
  )
  return { wallS: (performance.now() - started) / 1000, exhausted }
}

/** The ledger checked from the database after the run. */
async function checkLedger(handle: PostgresHandle): Promise<{
  ledgerVerified: boolean
  ledgerVerification: unknown
  rollupsMatch: boolean
  rollupMismatches: number
  linesMatch: boolean
  linesWithoutOneSale: number
  creditsMatch: boolean
  entriesWithCreditMismatch: number
  auditVerified: boolean
  reach: { targets: number; households: number }
}> {
  const sql = handle.client
  const verification = await verifyChain(handle.db, ledgerChainSource)
  // Rollups against the raw sums of the entries, key by key (both directions).
  const rollupMismatchCount = await rollupMismatches(handle.db)
  // Every line of a paid order has exactly one sale entry, and no entry belongs to anything else.
  const [lines] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from (
      select l.id, count(e.seq) as sales
      from order_lines l join orders o on o.id = l.order_id and o.status = 'paid'
      left join aid_entries e on e.order_line_id = l.id and e.kind = 'sale'
      group by l.id having count(e.seq) <> 1
      union all
      select e.order_line_id, 0 from aid_entries e
      left join order_lines l on l.id = e.order_line_id
      left join orders o on o.id = l.order_id and o.status = 'paid'
      where o.id is null) bad`
  // Credits sum to the proceeds of every entry whose product had beneficiaries at the time of the entry.
  const [credits] = await sql<Array<{ n: number }>>`
    select count(*)::int as n from aid_entries e
    where exists (select 1 from product_beneficiaries b
                   where b.product_id = e.product_id and b.linked_at <= e.occurred_at
                     and (b.unlinked_at is null or b.unlinked_at > e.occurred_at))
      and e.proceeds_fen <> coalesce((select sum(c.amount_fen) from household_credits c where c.entry_seq = e.seq), 0)`
  const [reach] = await sql<Array<{ targets: number; households: number }>>`
    select count(distinct target_id)::int as targets, count(*)::int as households from target_reach`
  const audit = await verifyAuditChain(handle.db)
  const linesWithoutOneSale = lines?.n ?? NaN
  const entriesWithCreditMismatch = credits?.n ?? NaN
  return {
    ledgerVerified: verification.ok,
    ledgerVerification: verification,
    rollupsMatch: rollupMismatchCount === 0,
    rollupMismatches: rollupMismatchCount,
    linesMatch: linesWithoutOneSale === 0,
    linesWithoutOneSale,
    creditsMatch: entriesWithCreditMismatch === 0,
    entriesWithCreditMismatch,
    auditVerified: audit.ok,
    reach: { targets: reach?.targets ?? 0, households: reach?.households ?? 0 },
  }
}

async function ledgerSeq(handle: PostgresHandle): Promise<number> {
  const [row] = await handle.client<Array<{ seq: string }>>`
    select coalesce((select seq::text from chain_heads where chain = 'ledger'), '0') as seq`
  return Number(row?.seq ?? 0)
}

export async function confirmScenario({ smoke }: { smoke: boolean }): Promise<BenchOutcome> {
  const startedAt = Date.now()
  const serverUrl = benchServerUrl('confirm')
  const runS = smoke ? 1 : 10
  const warmS = smoke ? 0.3 : 2

  const pgbench = findPgbench()

  const url = await prepareSeededDatabase(serverUrl, 'confirm')
  const handle = openPostgres(url, { max: CLIENTS })
  addCleanup('close the confirm pool', () => handle.close())

  const counted = smoke ? COUNTED.smoke : COUNTED.full
  const planned =
    ordersToPlace({
      perSecond: smoke ? PLANNED_PER_SECOND.smoke : PLANNED_PER_SECOND.full,
      warmS,
      runS,
      clients: CLIENTS,
    }) +
    counted +
    2 * CLIENTS
  const queue = { payments: await placeOrders(handle, planned), next: 0 }

  log(`confirm: warm-up ${warmS} s…`)
  const warm = newTally()
  await runClients({ handle, clients: CLIENTS, durationS: warmS, queue, tally: warm })
  log(`confirm: warm-up confirmed ${warm.confirmed} payments`)
  // Statistics for the planner and a visibility map, as autovacuum leaves them a while into operation — after the
  // warm-up, not before it: a ledger analysed while still empty makes every backend plan its foreign key checks
  // against it (household_credits → aid_entries) as sequential scans, and keep those plans until the next
  // ANALYZE, which autovacuum would run after the first few dozen entries but not within a run this short.
  const vacuumStarted = performance.now()
  await handle.client`vacuum (analyze)`
  log(`confirm: vacuumed and analysed in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`)

  const cpu = await poolCpuMeter(url, CLIENTS)
  const seqBefore = await ledgerSeq(handle)
  log(`confirm: ${CLIENTS} clients for ${runS} s, ${queue.payments.length - queue.next} payments pending…`)
  const tally = newTally()
  const cpuBefore = cpu()
  const { wallS, exhausted } = await runClients({ handle, clients: CLIENTS, durationS: runS, queue, tally })
  const cpuAfter = cpu()
  const seqAfter = await ledgerSeq(handle)
  if (exhausted)
    log(`warning: the ${queue.payments.length} pending payments ran out before the end of the run`)

  // Statements per confirmation, on a pool that counts them (postgres.js then records a stack trace per query,
  // which would slow the run above down): the same confirmations, by the same 10 clients, after the run.
  let statements = 0
  const counter = openPostgres(url, { max: CLIENTS, onQuery: () => void statements++ })
  addCleanup('close the counting pool', () => counter.close())
  const sample = newTally()
  // First the counting pool's connections open and prepare their statements, uncounted.
  await runClients({
    handle: counter,
    clients: CLIENTS,
    durationS: 60,
    queue,
    tally: sample,
    limit: 2 * CLIENTS,
  })
  statements = 0
  sample.confirmed = 0
  await runClients({ handle: counter, clients: CLIENTS, durationS: 60, queue, tally: sample, limit: counted })
  await counter.close()
  const statementsPerConfirmation = sample.confirmed > 0 ? round(statements / sample.confirmed, 2) : null
  if (sample.unexpected + sample.errors > 0)
    log(`counted sample: unexpected ${sample.unexpected}, errors ${sample.errors}`)

  const per = (value: number, digits: number) =>
    tally.confirmed > 0 ? round(value / tally.confirmed, digits) : null
  const cpuMsPerConfirmation = cpuPer(cpuBefore, cpuAfter, tally.confirmed)
  const perSecond = tally.confirmed / wallS
  const latency = latencyFigures(tally.latenciesMs)
  log(
    `confirm: ${tally.confirmed} confirmations in ${wallS.toFixed(2)} s = ${perSecond.toFixed(1)}/s, ` +
      `p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms, max ${latency.maxMs} ms; ${seqAfter - seqBefore} ` +
      `entries; ${statementsPerConfirmation} statements per confirmation (over ${sample.confirmed} more, counted); ` +
      `unexpected ${tally.unexpected}, ` +
      `errors ${tally.errors}; CPU per confirmation: ${JSON.stringify(cpuMsPerConfirmation)} ms`,
  )

  log('confirm: checking the ledger (chain, rollups, lines, credits, audit)…')
  const checks = await checkLedger(handle)
  log(`confirm: ${JSON.stringify(checks)}`)
  await handle.close()

  const baseline = await pgbenchBaseline(pgbench, serverUrl, { smoke, durationS: runS, clients: CLIENTS })

  const checksPassed =
    checks.ledgerVerified &&
    checks.rollupsMatch &&
    checks.linesMatch &&
    checks.creditsMatch &&
    checks.auditVerified
  const failed =
    tally.errors + tally.unexpected + sample.errors + sample.unexpected > 0 ||
    tally.confirmed === 0 ||
    !checksPassed ||
    baseline.error !== undefined
  const budgetMet = perSecond >= BUDGET.perSecondMin
  return {
    exitCode: failed ? 1 : 0,
    output: {
      scenario: 'confirm',
      perSecond: round(perSecond, 1),
      ...latency,
      ...baselineFields(baseline, perSecond),
      statementsPerConfirmation,
      entriesPerConfirmation: per(seqAfter - seqBefore, 3),
      ledgerVerified: checks.ledgerVerified,
      ...(checks.ledgerVerified ? {} : { ledgerVerification: checks.ledgerVerification }),
      rollupsMatch: checks.rollupsMatch,
      ...(checks.rollupsMatch ? {} : { rollupMismatches: checks.rollupMismatches }),
      linesMatch: checks.linesMatch,
      ...(checks.linesMatch ? {} : { linesWithoutOneSale: checks.linesWithoutOneSale }),
      creditsMatch: checks.creditsMatch,
      ...(checks.creditsMatch ? {} : { entriesWithCreditMismatch: checks.entriesWithCreditMismatch }),
      auditVerified: checks.auditVerified,
      reach: checks.reach,
      cpuMsPerConfirmation,
      confirmed: tally.confirmed,
      unexpected: tally.unexpected,
      errors: tally.errors,
      ordersPlaced: queue.payments.length,
      ...(exhausted ? { ordersExhausted: true } : {}),
      clients: CLIENTS,
      runS: round(wallS, 2),
      durationS: round((Date.now() - startedAt) / 1000, 1),
      ...(smoke ? { smoke: true } : {}),
      budget: { ...BUDGET, met: budgetMet },
      budgetMet,
    },
  }
}
