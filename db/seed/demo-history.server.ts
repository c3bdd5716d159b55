import { and, asc, eq, inArray } from 'drizzle-orm'
import { confirmBankTransfer } from '../../app/domains/payments/index.server'
import { cancelOrder, expireOrders, placeOrder } from '../../app/domains/orders/index.server'
import { acceptSellerOrder } from '../../app/domains/procurement/index.server'
import { loadReferenceData, regionChain } from '../../app/domains/regions/index.server'
import { refundPayment } from '../../app/domains/payments/index.server'
import { configuredBankTransfer } from '../../app/domains/payments/index.server'
import { hashPassword } from '../../app/services/passwords.server'
import { fixedClock, shanghaiDate, shanghaiYear, startOfShanghaiDate } from '../../app/utils/clock'
import { countAll, type Db } from '../client.server'
import { users } from '../schema/accounts'
import { products } from '../schema/catalog'
import { orderLines, orders, payments, sellerOrders } from '../schema/orders'
import { procurementPlans } from '../schema/procurement'
import { targets } from '../schema/targets'
import {
  activeCatalogue,
  fuzhouDingxiPairs,
  prepareUnitYear,
  type UnitYearSummary,
} from './demo-units.server'
import { intBetween, pick, seedUuid, seededRandom } from './synthetic'

/**
 * A believable current year of consumer orders for the demo (issue "Consumption-aid ledger", item 4). Everything
 * goes through the domain functions a real year would: placeOrder (stock reserved), finance confirming the bank
 * transfer a few hours later (the ledger counts the sale, the audit log records who confirmed), buyers cancelling,
 * the expiry job closing unpaid orders, finance refunding in part or in full. Nothing is inserted by hand, so the
 * ledger, its rollups, target progress and stock all agree with the orders the way they would in production.
 *
 * The plan is drawn by a seeded generator from the seed's `now`: the same `now` and catalogue give the same orders,
 * lines, outcomes and final stock (the ids of orders, payments and ledger rows are random and their timestamps come
 * from the plan's clocks — by design, as for any real order). Orders fall between 1 January (Asia/Shanghai) and
 * `now`, never later; events whose time has not come yet (a confirmation due after `now`) are left undone, so a
 * recent order may still await payment, as on any real day.
 *
 * The step runs in the seed's step transaction: it is there entirely or not at all. Its synthetic buyers are its
 * marker: when they exist, the history was seeded and a second run adds nothing.
 */

/** Orders per elapsed day, and the bounds that keep the first start of `npm start` within its budget. */
const ORDERS_PER_DAY = 0.6
const MIN_ORDERS = 12
const MAX_ORDERS = 200

type BuyerGroup = 'fuzhou' | 'zhejiang' | 'elsewhere'

type HistoryBuyer = {
  n: number
  key: string
  email: string
  displayName: string
  /** The delivery county (the buyer region the ledger counts by). */
  regionCode: string
  group: BuyerGroup
  /** For a Fuzhou district with a documented Dingxi partner (东西部协作 county pairs): that county. */
  pairedCounty?: string
}

const homes: ReadonlyArray<Omit<HistoryBuyer, 'key' | 'email' | 'displayName'>> = [
  { n: 1, regionCode: '350102', group: 'fuzhou', pairedCounty: '621126' },
  { n: 2, regionCode: '350103', group: 'fuzhou', pairedCounty: '621102' },
  { n: 3, regionCode: '350104', group: 'fuzhou', pairedCounty: '621124' },
  { n: 4, regionCode: '350112', group: 'fuzhou', pairedCounty: '621125' },
  { n: 5, regionCode: '350122', group: 'fuzhou', pairedCounty: '621122' },
  { n: 6, regionCode: '350111', group: 'fuzhou' },
  { n: 7, regionCode: '350121', group: 'fuzhou' },
  { n: 8, regionCode: '330106', group: 'zhejiang' },
  { n: 9, regionCode: '330212', group: 'zhejiang' },
  { n: 10, regionCode: '330302', group: 'zhejiang' },
  { n: 11, regionCode: '370102', group: 'elsewhere' },
  { n: 12, regionCode: '310115', group: 'elsewhere' },
]

/**
 * Synthetic consumers, plainly so by name and domain. They are demo accounts (is_demo): a production start refuses
 * a database holding them, like every other demo account. Mostly Fuzhou (福州→定西 and its district pairs), some
 * Zhejiang (山海协作), and two elsewhere whose purchases count toward no target — as in reality.
 */
export const historyBuyers: readonly HistoryBuyer[] = homes.map((home) => {
  const nn = String(home.n).padStart(2, '0')
  const email = `buyer${nn}@consumers.demo.example`
  return { ...home, key: `user:${email}`, email, displayName: `演示买家${nn}` }
})

/** The README's demo consumer gets one past order (kept to one so that its order list stays readable). */
const DEMO_CONSUMER_EMAIL = 'consumer@demo.example'
const FINANCE_EMAIL = 'finance@demo.example'

const GROUP_WEIGHTS: ReadonlyArray<[BuyerGroup, number]> = [
  ['fuzhou', 0.55],
  ['zhejiang', 0.25],
  ['elsewhere', 0.2],
]

/** True once the history step has committed (its buyers are written in the same transaction as its orders). */
export async function demoHistoryPresent(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.id, seedUuid(historyBuyers[0]!.key)))
    .limit(1)
  return row !== undefined
}

export type DemoHistorySummary = {
  planned: number
  placed: number
  /** Rejected for lack of stock (skipped, as a shop would refuse them). */
  outOfStock: number
  confirmed: number
  cancelled: number
  expired: number
  /** Placed, neither paid nor closed by `now` (their payment window is still open). */
  pending: number
  refunds: { partial: number; full: number }
  /** The synthetic units' year of procurement (demo-units.server.ts). */
  units: UnitYearSummary | null
}

type Product = { id: string; originCode: string; priceFen: bigint; minOrderQty: number }

type Outcome =
  | { kind: 'paid'; confirmAt: Date; refund: { at: Date; kind: 'partial' | 'full' } | null }
  | { kind: 'cancelled'; at: Date }
  | { kind: 'unpaid' }

type PlannedOrder = {
  buyerId: string
  buyer: { displayName: string; regionCode: string; phone: string; address: string }
  placedAt: Date
  lines: Array<{ productId: string; qty: number }>
  outcome: Outcome
}

type HistoryEvent =
  | { at: Date; rank: 0; kind: 'place'; order: number }
  | { at: Date; rank: 1; kind: 'cancel'; order: number }
  | { at: Date; rank: 1; kind: 'confirm'; order: number }
  | { at: Date; rank: 2; kind: 'expire' }
  | { at: Date; rank: 3; kind: 'refund'; order: number; refund: 'partial' | 'full' }

const HOUR = 3_600_000
const MINUTE = 60_000

/** The Asia/Shanghai hour of an instant. */
function shanghaiHour(at: Date): number {
  return new Date(at.getTime() + 8 * HOUR).getUTCHours()
}

/** Finance works office hours: a transfer seen after 18:00 (or before 09:00) is confirmed the next morning. */
function officeHours(at: Date, random: () => number): Date {
  const hour = shanghaiHour(at)
  if (hour >= 9 && hour < 18) return at
  const day = shanghaiDate(at)
  const morning = startOfShanghaiDate(day).getTime() + 9 * HOUR + intBetween(random, 0, 120) * MINUTE
  return new Date(hour < 9 ? morning : morning + 24 * HOUR)
}

function weighted<T>(random: () => number, items: ReadonlyArray<[T, number]>): T {
  let r = random() * items.reduce((sum, [, w]) => sum + w, 0)
  for (const [item, w] of items) {
    r -= w
    if (r < 0) return item
  }
  return items[items.length - 1]![0]
}

/**
 * The year's orders, drawn from a fixed seed: buyers weighted toward Fuzhou, products toward the buyer's partners
 * (Dingxi for Fuzhou, the district's own paired county first; Zhejiang's products — its mountain and island
 * counties' — for Zhejiang), 1–3 lines of 1–5 units (now and then enough of something cheap for the 10-unit price
 * tier), and an outcome per order: most paid a few hours later in office hours, some cancelled, some never paid, a
 * few of the paid ones refunded; and two recent transfers still waiting for finance. Pure: the database is read
 * before and written after.
 */
export function planDemoHistory(input: {
  now: Date
  catalogue: readonly Product[]
  demoConsumerId: string
}): PlannedOrder[] {
  const { now, catalogue } = input
  const year = shanghaiYear(now)
  const random = seededRandom(`demo-history:${year}`)
  const yearStart = startOfShanghaiDate(`${year}-01-01`).getTime()
  const span = now.getTime() - yearStart
  const days = Math.floor(span / (24 * HOUR)) + 1
  const count = Math.min(MAX_ORDERS, Math.max(MIN_ORDERS, Math.round(days * ORDERS_PER_DAY)))
  if (catalogue.length === 0 || span <= 0) return []

  const dingxi = catalogue.filter((p) => p.originCode.startsWith('6211'))
  const zhejiang = catalogue.filter((p) => p.originCode.startsWith('33'))
  const byCounty = new Map<string, Product[]>()
  for (const p of catalogue) byCounty.set(p.originCode, [...(byCounty.get(p.originCode) ?? []), p])

  const chooseProduct = (buyer: HistoryBuyer): Product => {
    const r = random()
    const paired = buyer.pairedCounty ? byCounty.get(buyer.pairedCounty) : undefined
    if (buyer.group === 'fuzhou') {
      if (paired && paired.length > 0 && r < 0.5) return pick(random, paired)
      if (dingxi.length > 0 && r < 0.85) return pick(random, dingxi)
    } else if (buyer.group === 'zhejiang' && zhejiang.length > 0 && r < 0.7) {
      return pick(random, zhejiang)
    }
    return pick(random, catalogue)
  }

  const chooseQty = (product: Product): number => {
    // One jar of ¥300 tea, a few boxes of fruit; and now and then a household (or an office kitchen) stocks up on
    // something cheap, reaching the 10-unit tier.
    const qty =
      product.priceFen >= 15_000n
        ? pick(random, [1, 1, 1, 2])
        : product.priceFen >= 5_000n
          ? pick(random, [1, 1, 2, 2, 3])
          : random() < 0.1
            ? pick(random, [10, 10, 12, 15, 20])
            : pick(random, [1, 2, 2, 3, 4, 5])
    return Math.max(qty, product.minOrderQty)
  }

  const drawTime = (): Date => {
    // A day of the year so far, between 08:00 and 23:00 Shanghai time; never after `now`.
    for (let attempt = 0; attempt < 5; attempt++) {
      const at = yearStart + Math.floor(random() * days) * 24 * HOUR + 8 * HOUR + random() * 15 * HOUR
      if (at <= now.getTime() - 5 * MINUTE) return new Date(Math.floor(at / 1000) * 1000)
    }
    return new Date(Math.floor((yearStart + random() * span) / 1000) * 1000)
  }

  const deliveryOf = (buyer: HistoryBuyer) => ({
    displayName: buyer.displayName,
    regionCode: buyer.regionCode,
    phone: `1380000${String(buyer.n).padStart(4, '0')}`,
    address: `演示路 ${buyer.n} 号`,
  })

  const plan: PlannedOrder[] = []
  for (let i = 0; i < count; i++) {
    const group = weighted(random, GROUP_WEIGHTS)
    const buyer = pick(
      random,
      historyBuyers.filter((b) => b.group === group),
    )
    const placedAt = drawTime()
    const lineCount = weighted(random, [
      [1, 0.6],
      [2, 0.3],
      [3, 0.1],
    ] as const)
    const lines = new Map<string, number>()
    for (let l = 0; l < lineCount; l++) {
      const product = chooseProduct(buyer)
      if (!lines.has(product.id)) lines.set(product.id, chooseQty(product))
    }
    const r = random()
    let outcome: Outcome
    if (r < 0.06) outcome = { kind: 'unpaid' }
    else if (r < 0.11)
      outcome = { kind: 'cancelled', at: new Date(placedAt.getTime() + intBetween(random, 10, 120) * MINUTE) }
    else {
      const confirmAt = officeHours(
        new Date(placedAt.getTime() + intBetween(random, 60, 360) * MINUTE),
        random,
      )
      const refund =
        random() < 0.025
          ? {
              at: officeHours(new Date(confirmAt.getTime() + intBetween(random, 72, 240) * HOUR), random),
              kind: (random() < 0.5 ? 'partial' : 'full') as 'partial' | 'full',
            }
          : null
      outcome = { kind: 'paid', confirmAt, refund }
    }
    plan.push({
      buyerId: seedUuid(buyer.key),
      buyer: deliveryOf(buyer),
      placedAt,
      lines: [...lines].map(([productId, qty]) => ({ productId, qty })),
      outcome,
    })
  }

  // The README's demo consumer: one order of 岷县 produce delivered to 鼓楼区 (its documented partner), paid, some
  // weeks back — older than anything a visitor or a test orders today.
  const minxian = byCounty.get('621126') ?? dingxi
  if (minxian.length > 0) {
    const day = shanghaiDate(new Date(Math.max(yearStart, now.getTime() - 18 * 24 * HOUR)))
    let placedAt = new Date(startOfShanghaiDate(day).getTime() + 20 * HOUR + 15 * MINUTE)
    if (placedAt.getTime() > now.getTime() - 5 * MINUTE) placedAt = new Date(yearStart + span / 2)
    const first = minxian[0]!
    const second = minxian[1]
    plan.push({
      buyerId: input.demoConsumerId,
      buyer: {
        displayName: '演示消费者',
        regionCode: '350102',
        phone: '13800001111',
        address: '演示路 1 号 2 单元',
      },
      placedAt,
      lines: [
        { productId: first.id, qty: Math.max(2, first.minOrderQty) },
        ...(second ? [{ productId: second.id, qty: Math.max(1, second.minOrderQty) }] : []),
      ],
      outcome: {
        kind: 'paid',
        confirmAt: officeHours(new Date(placedAt.getTime() + 2 * HOUR), random),
        refund: null,
      },
    })
  }

  // Two transfers still awaiting finance: placed 3 and 23 hours before `now` by Fuzhou buyers and not paid yet, well
  // inside the payment window — so that finance's page has something to confirm in the demo.
  historyBuyers
    .filter((b) => b.group === 'fuzhou')
    .slice(0, 2)
    .forEach((buyer, k) => {
      const placedAt = new Date(Math.floor((now.getTime() - (3 + 20 * k) * HOUR) / 1000) * 1000)
      if (placedAt.getTime() < yearStart) return
      const product = chooseProduct(buyer)
      plan.push({
        buyerId: seedUuid(buyer.key),
        buyer: deliveryOf(buyer),
        placedAt,
        lines: [{ productId: product.id, qty: chooseQty(product) }],
        outcome: { kind: 'unpaid' },
      })
    })

  // The first two refunds made by `now` are one partial and one full, whatever the draw: the demo shows both.
  const refunds = plan.flatMap((o) =>
    o.outcome.kind === 'paid' && o.outcome.refund && o.outcome.refund.at <= now ? [o.outcome.refund] : [],
  )
  refunds.sort((a, b) => a.at.getTime() - b.at.getTime())
  if (refunds[0]) refunds[0].kind = 'partial'
  if (refunds[1]) refunds[1].kind = 'full'
  return plan.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime())
}

function eventsOf(plan: readonly PlannedOrder[], now: Date, windowHours: number): HistoryEvent[] {
  const events: HistoryEvent[] = []
  const due = (at: Date) => at.getTime() <= now.getTime()
  plan.forEach((order, index) => {
    events.push({ at: order.placedAt, rank: 0, kind: 'place', order: index })
    const outcome = order.outcome
    if (outcome.kind === 'paid') {
      if (due(outcome.confirmAt)) {
        events.push({ at: outcome.confirmAt, rank: 1, kind: 'confirm', order: index })
        if (outcome.refund && due(outcome.refund.at))
          events.push({
            at: outcome.refund.at,
            rank: 3,
            kind: 'refund',
            order: index,
            refund: outcome.refund.kind,
          })
      }
    } else if (outcome.kind === 'cancelled') {
      if (due(outcome.at)) events.push({ at: outcome.at, rank: 1, kind: 'cancel', order: index })
    } else {
      // The expiry job's next pass after the payment window closes.
      const at = new Date(order.placedAt.getTime() + windowHours * HOUR + MINUTE)
      if (due(at)) events.push({ at, rank: 2, kind: 'expire' })
    }
  })
  return events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank)
}

export async function seedDemoHistory(
  tx: Db,
  options: { now: Date; password: string },
): Promise<DemoHistorySummary | null> {
  if (await demoHistoryPresent(tx)) return null
  const { now } = options
  const method = configuredBankTransfer()
  const financeId = seedUuid(`user:${FINANCE_EMAIL}`)

  // The buyers registered before the year began; one hash for all (argon2 takes a while, and they share the
  // published demo password like every demo account).
  const passwordHash = await hashPassword(options.password)
  const registered = new Date(startOfShanghaiDate(`${shanghaiYear(now)}-01-01`).getTime() - 40 * 24 * HOUR)
  const inserted = await tx
    .insert(users)
    .values(
      historyBuyers.map((b) => ({
        id: seedUuid(b.key),
        email: b.email,
        displayName: b.displayName,
        passwordHash,
        passwordChangedAt: registered,
        createdAt: registered,
        isDemo: true,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: users.id })
  // Another process seeding at the same moment (two servers starting on one database) inserted them first: its
  // transaction, which this insert waited for, wrote the history.
  if (!inserted.some((u) => u.id === seedUuid(historyBuyers[0]!.key))) return null

  const catalogue = await activeCatalogue(tx)
  const plan = planDemoHistory({
    now,
    catalogue,
    demoConsumerId: seedUuid(`user:${DEMO_CONSUMER_EMAIL}`),
  })
  const data = await loadReferenceData(tx)

  const summary: DemoHistorySummary = {
    planned: plan.length,
    placed: 0,
    outOfStock: 0,
    confirmed: 0,
    cancelled: 0,
    expired: 0,
    pending: 0,
    refunds: { partial: 0, full: 0 },
    units: null,
  }
  const placed = new Map<number, { orderId: string; totalFen: bigint }>()

  const runConsumerEvent = async (event: HistoryEvent): Promise<void> => {
    const clock = fixedClock(event.at)
    if (event.kind === 'expire') {
      summary.expired += await expireOrders(tx, clock)
      return
    }
    const order = plan[event.order]!
    if (event.kind === 'place') {
      const result = await placeOrder(
        tx,
        {
          buyerUserId: order.buyerId,
          buyerChannel: 'consumer',
          buyerRegionCode: order.buyer.regionCode,
          lines: order.lines,
          delivery: {
            recipient: order.buyer.displayName,
            phone: order.buyer.phone,
            regionCode: order.buyer.regionCode,
            regionPath: regionChain(data, order.buyer.regionCode)
              .map((r) => r.name)
              .join(' '),
            address: order.buyer.address,
          },
          invoice: null,
        },
        clock,
        method,
      )
      if (result.ok) {
        placed.set(event.order, { orderId: result.orderId, totalFen: result.totalFen })
        summary.placed++
      } else if (result.errors.every((e) => e.code === 'out_of_stock')) {
        summary.outOfStock++
      } else {
        throw new Error(`demo history: order refused ${JSON.stringify(result.errors)}`)
      }
      return
    }
    const done = placed.get(event.order)
    if (!done) return // refused for lack of stock: nothing follows
    if (event.kind === 'cancel') {
      const result = await cancelOrder(tx, { orderId: done.orderId, buyerUserId: order.buyerId }, clock)
      if (!result.ok) throw new Error(`demo history: cancel failed (${result.reason})`)
      summary.cancelled++
      return
    }
    const [payment] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(eq(payments.orderId, done.orderId))
    if (!payment) throw new Error('demo history: the order has no payment')
    if (event.kind === 'confirm') {
      // Finance matches the transfer on the statement: the exact amount, confirmed (and audited) as on the page.
      const result = await confirmBankTransfer(
        tx,
        { paymentId: payment.id, receivedFen: done.totalFen, financeUserId: financeId },
        clock,
      )
      if (!result.ok) throw new Error(`demo history: confirmation failed (${result.reason})`)
      summary.confirmed++
      return
    }
    // A refund: partial — half of one line (a damaged parcel) — or the whole order.
    const lines = await tx
      .select({ id: orderLines.id, qty: orderLines.qty, unitPriceFen: orderLines.unitPriceFen })
      .from(orderLines)
      .where(eq(orderLines.orderId, done.orderId))
      .orderBy(asc(orderLines.productId))
    const refundLines =
      event.refund === 'full'
        ? lines.map((l) => ({ orderLineId: l.id, amountFen: l.unitPriceFen * BigInt(l.qty) }))
        : lines.slice(0, 1).map((l) => ({
            orderLineId: l.id,
            amountFen:
              l.qty >= 2 ? l.unitPriceFen * BigInt(Math.floor(l.qty / 2)) : (l.unitPriceFen + 1n) / 2n,
          }))
    const result = await refundPayment(
      tx,
      { paymentId: payment.id, lines: refundLines, financeUserId: financeId },
      clock,
    )
    if (!result.ok) throw new Error(`demo history: refund failed (${result.reason})`)
    summary.refunds[event.refund]++
  }

  // The units' year (demo-units.server.ts) runs interleaved with the consumers' in time order, as the ledger would
  // have recorded them.
  const year = shanghaiYear(now)
  const [goal] = await tx
    .select({ goal: targets.goal })
    .from(targets)
    .where(eq(targets.id, seedUuid(`target:demo-${year}-fz-dx`)))
  const units = await prepareUnitYear(tx, {
    now,
    year,
    goalFen: goal?.goal ?? 0n,
    pairs: fuzhouDingxiPairs(),
    catalogue,
    passwordHash,
    registeredAt: registered,
    financeId,
    method,
  })
  const steps = [
    ...eventsOf(plan, now, method.windowHours).map((event) => ({
      at: event.at,
      rank: event.rank,
      run: () => runConsumerEvent(event),
    })),
    ...units.events,
  ].sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank)
  for (const step of steps) await step.run()
  summary.units = units.summary

  await seedUnitYear(tx, { now, financeId, method })

  // What the year left open: orders whose payment window has not closed by `now`.
  const ids = [...placed.values()].map((p) => p.orderId)
  if (ids.length > 0) {
    const [open] = await tx
      .select({ n: countAll })
      .from(orders)
      .where(and(inArray(orders.id, ids), eq(orders.status, 'pending_payment')))
    summary.pending = open?.n ?? 0
  }
  return summary
}

/** The demo budget unit (the README's buyer, approver and unit admin act for it) and its buyer. */
const DEMO_UNIT_KEY = 'org:gulou-unit'
const DEMO_UNIT_BUYER_EMAIL = 'buyer@gulou.demo.example'

/**
 * Government procurement (issue 16): the demo unit's year so far, so that its plan page has something to show — a
 * plan (a ¥1,200,000 canteen base, the 10% minimum share) and one canteen order a month, placed for the unit by its
 * buyer through placeOrder (the unit's channel and terms) and confirmed by finance the same afternoon. Deterministic
 * like the rest of the history: products and quantities are drawn from the seed's `now`.
 */
async function seedUnitYear(
  tx: Db,
  input: { now: Date; financeId: string; method: ReturnType<typeof configuredBankTransfer> },
): Promise<void> {
  const { now } = input
  const year = shanghaiYear(now)
  const orgId = seedUuid(DEMO_UNIT_KEY)
  const buyerId = seedUuid(`user:${DEMO_UNIT_BUYER_EMAIL}`)
  await tx
    .insert(procurementPlans)
    .values({ orgId, year, baseFen: 120_000_000n, reservedShareBp: 1000, updatedAt: now })
    .onConflictDoNothing()
  const catalogue = await tx
    .select({ id: products.id, minOrderQty: products.minOrderQty, stock: products.stock })
    .from(products)
    .where(eq(products.status, 'active'))
    .orderBy(asc(products.sku))
  if (catalogue.length === 0) return
  const random = seededRandom(`unit-year:${shanghaiDate(now)}`)
  const data = await loadReferenceData(tx)
  for (let month = 1; month <= 12; month++) {
    const placedAt = startOfShanghaiDate(`${year}-${String(month).padStart(2, '0')}-10`)
    const at = new Date(placedAt.getTime() + 10 * HOUR)
    const confirmAt = new Date(placedAt.getTime() + 15 * HOUR)
    if (confirmAt >= now) break
    const chosen = new Set<number>()
    while (chosen.size < Math.min(3, catalogue.length))
      chosen.add(intBetween(random, 0, catalogue.length - 1))
    const lines = [...chosen]
      .map((i) => catalogue[i]!)
      .map((p) => ({ productId: p.id, qty: Math.max(p.minOrderQty, intBetween(random, 10, 30)) }))
    const placed = await placeOrder(
      tx,
      {
        buyerUserId: buyerId,
        buyerOrgId: orgId,
        poNumber: `GL-${year}-${String(month).padStart(3, '0')}`,
        lines,
        delivery: {
          recipient: '演示采购员',
          phone: '0591-12345678',
          regionCode: '350102',
          regionPath: regionChain(data, '350102')
            .map((r) => r.name)
            .join(' '),
          address: '演示路 8 号 机关食堂',
        },
        invoice: { kind: 'company', title: '鼓楼区演示预算单位（演示）' },
      },
      fixedClock(at),
      input.method,
    )
    if (!placed.ok) continue // stock gone: a unit would order elsewhere that month
    // On account (decision 022): shipped, then accepted in full by the unit, before finance confirms the transfer.
    await tx
      .update(sellerOrders)
      .set({
        fulfilment: 'shipped',
        shippedAt: new Date(placedAt.getTime() + 11 * HOUR),
        carrier: '演示物流',
        trackingNumber: `DEMO${year}${String(month).padStart(2, '0')}`,
      })
      .where(eq(sellerOrders.orderId, placed.orderId))
    const shipped = await tx
      .select({ id: sellerOrders.id })
      .from(sellerOrders)
      .where(eq(sellerOrders.orderId, placed.orderId))
    for (const seller of shipped) {
      const lines = await tx
        .select({ id: orderLines.id, qty: orderLines.qty })
        .from(orderLines)
        .where(eq(orderLines.sellerOrderId, seller.id))
      const accepted = await acceptSellerOrder(
        tx,
        {
          actor: { orgId, userId: buyerId, role: 'unit_buyer' },
          orderId: placed.orderId,
          form: {
            sellerOrderId: seller.id,
            notes: undefined,
            lines: lines.map((l) => ({ orderLineId: l.id, acceptedQty: l.qty })),
          },
        },
        fixedClock(new Date(placedAt.getTime() + 14 * HOUR)),
      )
      if (!accepted.ok) throw new Error(`demo history: unit acceptance failed (${accepted.error})`)
    }
    const [payment] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(eq(payments.orderId, placed.orderId))
    const confirmed = await confirmBankTransfer(
      tx,
      { paymentId: payment!.id, receivedFen: placed.totalFen, financeUserId: input.financeId },
      fixedClock(confirmAt),
    )
    if (!confirmed.ok) throw new Error(`demo history: unit confirmation failed (${confirmed.reason})`)
  }
}
