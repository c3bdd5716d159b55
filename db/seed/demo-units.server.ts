import { and, asc, eq, inArray } from 'drizzle-orm'
import { type PriceTier, unitPriceFor } from '../../app/domains/catalog'
import { adjustStock } from '../../app/domains/catalog/index.server'
import { answerDispute, markDelivered, markShipped } from '../../app/domains/coop/index.server'
import { confirmBankTransfer, type PaymentMethod } from '../../app/domains/payments/index.server'
import {
  acceptSellerOrder,
  decideRequisition,
  submitRequisition,
} from '../../app/domains/procurement/index.server'
import { loadReferenceData } from '../../app/domains/regions/index.server'
import { fixedClock, startOfShanghaiDate } from '../../app/utils/clock'
import type { Db } from '../client.server'
import { users } from '../schema/accounts'
import { priceTiers, products } from '../schema/catalog'
import { memberships } from '../schema/memberships'
import { orderLines, payments, sellerOrders } from '../schema/orders'
import { organizations } from '../schema/organizations'
import { disputes, procurementPlans } from '../schema/procurement'
import { loadSourceData } from './source-data.server'
import { intBetween, pick, seedUuid, seededRandom, syntheticUscc } from './synthetic'

/**
 * The demo year of government procurement (issue 18, item 6): a few dozen synthetic budget units across Fuzhou's
 * districts buying Dingxi products through the same functions a real unit uses — a requisition above the buyer's
 * limit, an approver's decision (the order placed on account), the cooperative shipping and delivering, the unit's
 * 验收 (now and then in part, the cooperative answering the dispute), and finance confirming the unit's transfer for
 * the accepted amount — so that the 福州→定西 demo target moves the way an office would expect to see it move.
 *
 * The plan works backwards from the counting rule: a sale counts when finance confirms the transfer, so the planner
 * first decides how much must be confirmed on each day of the year for the target to stay near its pro-rata pace
 * (a slow drift of a few per cent either side, never more than ±6%, plus what one payment moves), then, for each
 * confirmation, the order behind it: which district's unit, which products (a district's units favour its paired county, so each district's
 * sub-target runs ahead or behind by its own factor), and its dates back from the payment — accepted 3–21 days
 * before (a late payer every twelve days or so: 52 days or more, past the 30-day term), delivered, shipped,
 * approved and submitted before that. January's first payments therefore come from orders placed the December
 * before, as in any year. Events after the seed's `now` are left undone: a unit's
 * order may be awaiting approval, shipment, 验收 or payment on the day the demo starts.
 *
 * Pure planning (planUnitYear) is separate from writing (the events), so the pace can be tested without a database.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR
const MINUTE = 60_000

/** The share of the 福州→定西 goal each paired district's own sub-target stands for (¥3,000万 of ¥2亿). */
const DISTRICT_SHARE = 0.15
/**
 * How far ahead of (or behind) its own pace each paired district runs, in the order of the documented pairs: the
 * office sees a spread instead of five identical bars. The rest of the goal comes from the other districts and
 * from the paired districts' purchases outside their pair.
 */
const DISTRICT_FACTORS = [1.24, 1.08, 0.95, 0.82, 0.68] as const
/**
 * The least paid on a day that has a payment, in days of even progress: 0.3 in January (a payment every day),
 * growing with the year to 4 (one every few days, larger) — never more than a few per cent of what was counted, and
 * about 150 orders in a year, which keeps the seed quick.
 */
const MIN_BATCH_DAYS = 0.3
const MAX_BATCH_DAYS = 4
/** One order is at most this many days of even progress (about ¥2.7 million for ¥2亿): larger days take two. */
const MAX_ORDER_DAYS = 5
/** The most of one product on one order line. */
const MAX_UNIT_LINE_QTY = 30_000
/** What a cooperative keeps on its shelf for everyone else when it stocks up for a unit's order. */
const STOCK_RESERVE = 300
/**
 * Every twelve days or so one order is paid late, 52 days or more after its 验收 (past the default 30-day term): so
 * at any moment of the demo some unit order is overdue, flagged for the unit, its cooperative and finance as in
 * real life. Payment days can be up to three weeks apart, so each late order's lag is stretched to reach back
 * before the previous late one was paid: their overdue spells overlap.
 */
const LATE_EVERY_DAYS = 12
const LATE_MIN_PAY_DAYS = 52
/** Units per Fuzhou county-level division. */
const UNITS_PER_DISTRICT = 3
/** Requisitions above this go to the unit's approver: every demo order is approved by a person. */
const BUYER_LIMIT_FEN = 5_000_000n

/**
 * Fuzhou's county-level divisions (GB/T 2260) but 平潭县, left out to keep the demo to twelve, with the short
 * letters of their demo accounts; their names come from the seed's region list.
 */
const FUZHOU_DIVISION_SHORTS: ReadonlyArray<readonly [code: string, short: string]> = [
  ['350102', 'GL'],
  ['350103', 'TJ'],
  ['350104', 'CS'],
  ['350105', 'MW'],
  ['350111', 'JA'],
  ['350112', 'CL'],
  ['350121', 'MH'],
  ['350122', 'LJ'],
  ['350123', 'LY'],
  ['350124', 'MQ'],
  ['350125', 'YT'],
  ['350181', 'FQ'],
]

function fuzhouDivisions(): Array<{ code: string; name: string; short: string }> {
  const names = new Map(loadSourceData().regions.map((r) => [r.code, r.name]))
  return FUZHOU_DIVISION_SHORTS.map(([code, short]) => {
    const name = names.get(code)
    if (!name) throw new Error(`demo units: region ${code} is not in the seed's region list`)
    return { code, name, short }
  })
}

const LETTERS = ['甲', '乙', '丙', '丁'] as const

/** The documented Fuzhou district → Dingxi county pairs (东西部协作), in the order of their demo sub-targets. */
export function fuzhouDingxiPairs(): Array<{ helperCode: string; helpedCode: string }> {
  return loadSourceData()
    .pairings.filter((p) => p.id.startsWith('FD-'))
    .flatMap((p) => {
      const helper = Array.isArray(p.helper) ? p.helper[0] : p.helper
      return helper?.code ? [{ helperCode: helper.code, helpedCode: p.helped.code }] : []
    })
}

export type DemoUnit = {
  /** Stable key of the organisation (its id derives from it). */
  key: string
  name: string
  regionCode: string
  short: string
  /** A canteen buys food for its staff; a trade union buys festival gifts. */
  purpose: 'canteen' | 'union'
  /** The Dingxi county documented as this district's partner, if any. */
  pairedCounty: string | null
  buyer: { email: string; displayName: string }
  approver: { email: string; displayName: string }
}

/** The synthetic units: plainly demo by name and domain, three per division. */
export function demoUnits(pairs: ReadonlyArray<{ helperCode: string; helpedCode: string }>): DemoUnit[] {
  const partner = new Map(pairs.map((p) => [p.helperCode, p.helpedCode]))
  return fuzhouDivisions().flatMap((division) =>
    Array.from({ length: UNITS_PER_DISTRICT }, (_, i) => {
      const tag = `${division.short.toLowerCase()}${i + 1}`
      const letter = LETTERS[i]!
      return {
        key: `org:demo-unit-${division.code}-${i + 1}`,
        name: `${division.name}演示单位${letter}（演示）`,
        regionCode: division.code,
        short: division.short,
        purpose: i % 2 === 0 ? ('canteen' as const) : ('union' as const),
        pairedCounty: partner.get(division.code) ?? null,
        buyer: {
          email: `buyer-${tag}@units.demo.example`,
          displayName: `演示采购员（${division.name}${letter}）`,
        },
        approver: {
          email: `approver-${tag}@units.demo.example`,
          displayName: `演示审批人（${division.name}${letter}）`,
        },
      }
    }),
  )
}

export type UnitCatalogueProduct = {
  id: string
  sku: string
  orgId: string
  originCode: string
  priceFen: bigint
  minOrderQty: number
  tiers: readonly PriceTier[]
}

export type PlannedUnitOrder = {
  unit: DemoUnit
  /** The paired county the order was drawn for, or null for the rest of the goal. */
  stream: string | null
  poNumber: string
  lines: Array<{ productId: string; sku: string; orgId: string; qty: number; unitPriceFen: bigint }>
  orderedFen: bigint
  /** What the unit accepts and pays, and the target counts. */
  countedFen: bigint
  /** One line of the first seller order accepted short, and how its cooperative answers. */
  shortfall: { productId: string; rejectedQty: number; answer: 'return' | 'contest' } | null
  /** Paid after the 30-day term (LATE_EVERY_DAYS): overdue between the end of the term and `at.confirm`. */
  late: boolean
  at: {
    submit: Date
    approve: Date
    ship: Date
    deliver: Date
    accept: Date
    answer: Date
    confirm: Date
  }
}

/** The day's share of the goal the plan aims at: a slow drift a few per cent either side of the pace. */
export function paceDrift(day: number): number {
  return 1 + 0.04 * Math.sin((2 * Math.PI * day) / 89) + 0.02 * Math.sin((2 * Math.PI * day) / 19)
}

function at(dayStart: number, hour: number, minutes: number): Date {
  return new Date(Math.floor((dayStart + hour * HOUR + minutes * MINUTE) / 1000) * 1000)
}

/**
 * The units' year: one or two orders confirmed on each day of `year` (every day up to the period's end; the seed
 * carries out only what falls before its `now`). Deterministic in its inputs.
 */
export function planUnitYear(input: {
  year: number
  goalFen: bigint
  units: readonly DemoUnit[]
  catalogue: readonly UnitCatalogueProduct[]
  /** The documented Fuzhou district → Dingxi county pairs, in the order of their sub-targets. */
  pairs: ReadonlyArray<{ helperCode: string; helpedCode: string }>
}): PlannedUnitOrder[] {
  const { year, goalFen, units, catalogue, pairs } = input
  const dingxi = catalogue.filter((p) => p.originCode.startsWith('6211'))
  if (dingxi.length === 0 || units.length === 0) return []
  const random = seededRandom(`unit-orders:${year}`)
  // A stream of its own, so that choosing the late payers leaves every other draw of the plan as it was.
  const lateRandom = seededRandom(`unit-orders-late:${year}`)
  let lastLateDay = -Infinity
  const yearStart = startOfShanghaiDate(`${year}-01-01`).getTime()
  const days = Math.round((startOfShanghaiDate(`${year + 1}-01-01`).getTime() - yearStart) / DAY)
  const goal = Number(goalFen)
  const even = goal / days

  const byCounty = new Map<string, UnitCatalogueProduct[]>()
  for (const p of dingxi) byCounty.set(p.originCode, [...(byCounty.get(p.originCode) ?? []), p])

  // Streams: each paired district's purchases from its partner, and the rest.
  type Stream = { county: string | null; share: number; units: DemoUnit[]; counted: number; next: number }
  const streams: Stream[] = pairs
    .map((pair, i): Stream | null => {
      const pool = units.filter((u) => u.regionCode === pair.helperCode)
      if (pool.length === 0 || !byCounty.has(pair.helpedCode)) return null
      const factor = DISTRICT_FACTORS[i % DISTRICT_FACTORS.length]!
      return { county: pair.helpedCode, share: DISTRICT_SHARE * factor, units: pool, counted: 0, next: 0 }
    })
    .filter((s): s is Stream => s !== null)
  const pairedShare = streams.reduce((sum, s) => sum + s.share, 0)
  // The rest goes round every unit, those of unpaired districts first (they have no sub-target of their own).
  const others = [...units.filter((u) => !u.pairedCounty), ...units.filter((u) => u.pairedCounty)]
  streams.push({ county: null, share: Math.max(0, 1 - pairedShare), units: others, counted: 0, next: 0 })

  const orders: PlannedUnitOrder[] = []
  const poSerial = new Map<string, number>()
  let counted = 0

  const compose = (stream: Stream, unit: DemoUnit, amount: number) => {
    const pool =
      stream.county !== null
        ? byCounty.get(stream.county)!
        : dingxi.filter((p) => p.originCode !== unit.pairedCounty)
    const lineCount = Math.min(pool.length, pick(random, [1, 2, 2, 3, 3]))
    const chosen: UnitCatalogueProduct[] = []
    const draw = () => {
      const unused = pool.filter((p) => !chosen.includes(p))
      if (unused.length > 0) chosen.push(pick(random, unused))
    }
    while (chosen.length < lineCount) draw()
    const bulkPrice = (p: UnitCatalogueProduct) => Number(unitPriceFor(1_000, p.priceFen, p.tiers))
    // Until the amount fits: a line is at most MAX_UNIT_LINE_QTY (a truckload or so of the cheap things), so a
    // large order of cheap goods takes more lines.
    while (
      chosen.length < pool.length &&
      amount > chosen.reduce((sum, p) => sum + bulkPrice(p) * MAX_UNIT_LINE_QTY * 0.6, 0)
    )
      draw()
    chosen.sort((a, b) => a.sku.localeCompare(b.sku))
    const weights = chosen.map(() => 0.5 + random())
    const total = weights.reduce((a, b) => a + b, 0)
    return chosen.map((p, i) => {
      const share = (amount * weights[i]!) / total
      // Bulk quantities in tens, priced by the product's volume tiers as the checkout prices them.
      const qty = Math.min(
        MAX_UNIT_LINE_QTY,
        Math.max(p.minOrderQty, Math.floor(share / bulkPrice(p) / 10) * 10, 10),
      )
      return {
        productId: p.id,
        sku: p.sku,
        orgId: p.orgId,
        qty,
        unitPriceFen: unitPriceFor(qty, p.priceFen, p.tiers),
      }
    })
  }

  /**
   * One order paid on the morning of `day` (1 = 1 January; beyond the year's days, the January after), drawn from
   * the stream furthest behind, its dates running back from that payment. `late` orders are paid past the term.
   */
  const place = (
    day: number,
    part: number,
    orderAmount: number,
    options: { mayBeLate: boolean; counts: boolean },
  ) => {
    const dayStart = yearStart + (day - 1) * DAY
    // The stream furthest behind its share of what will have been counted.
    const after = counted + orderAmount
    const stream = streams.reduce((best, s) =>
      s.share * after - s.counted > best.share * after - best.counted ? s : best,
    )
    const unit = stream.units[stream.next++ % stream.units.length]!
    const lines = compose(stream, unit, orderAmount)
    const orderedFen = lines.reduce((sum, l) => sum + l.unitPriceFen * BigInt(l.qty), 0n)
    // About one order in eight is accepted short: a few per cent of one line arrived damaged.
    let shortfall: PlannedUnitOrder['shortfall'] = null
    if (random() < 0.125) {
      const line = lines[0]!
      const rejectedQty = Math.max(1, Math.floor(line.qty * (0.01 + random() * 0.03)))
      shortfall = { productId: line.productId, rejectedQty, answer: random() < 0.7 ? 'return' : 'contest' }
    }
    const countedFen = orderedFen - (shortfall ? lines[0]!.unitPriceFen * BigInt(shortfall.rejectedQty) : 0n)

    // Dates, back from finance's confirmation in the morning of `day`.
    const confirm = at(dayStart, 9 + part, intBetween(random, 0, 50))
    const onTimeLag = pick(random, [3, 5, 7, 7, 10, 12, 14, 14, 18, 21])
    const late = options.mayBeLate && day >= lastLateDay + LATE_EVERY_DAYS
    // Overdue from the 31st day after 验收: reach at least two days before the previous late payment.
    const payLag = late
      ? Math.max(LATE_MIN_PAY_DAYS, Number.isFinite(lastLateDay) ? day - lastLateDay + 33 : 0) +
        intBetween(lateRandom, 0, 4)
      : onTimeLag
    if (late) lastLateDay = day
    // Every step in office hours (Asia/Shanghai), each after the one before.
    const acceptDay = dayStart - payLag * DAY
    const accept = at(acceptDay, 10, intBetween(random, 0, 360))
    const deliverDay = acceptDay - intBetween(random, 0, 1) * DAY
    const deliver = at(deliverDay, deliverDay === acceptDay ? 8 : 13, intBetween(random, 0, 100))
    const shipDay = deliverDay - intBetween(random, 1, 3) * DAY
    const ship = at(shipDay, 9, intBetween(random, 0, 480))
    const approveDay = shipDay - intBetween(random, 1, 2) * DAY
    const approve = at(approveDay, 11, intBetween(random, 0, 360))
    const submit = at(approveDay - intBetween(random, 0, 2) * DAY, 8, intBetween(random, 30, 150))
    const answer = at(acceptDay + intBetween(random, 1, 3) * DAY, 9, intBetween(random, 0, 480))

    const serial = (poSerial.get(unit.key) ?? 0) + 1
    poSerial.set(unit.key, serial)
    const unitNo = unit.key.slice(-1)
    orders.push({
      unit,
      stream: stream.county,
      poNumber: `${unit.short}${unitNo}-${year}-${String(serial).padStart(3, '0')}`,
      lines,
      orderedFen,
      countedFen,
      shortfall,
      late,
      at: { submit, approve, ship, deliver, accept, answer, confirm },
    })
    if (options.counts) {
      counted += Number(countedFen)
      stream.counted += Number(countedFen)
    }
  }

  for (let day = 1; day <= days; day++) {
    const want = (goal * day * paceDrift(day)) / days
    // Early in the year a payment every day (the pace is small, and a day without one shows); later every two or
    // three days, larger: what is behind the pace is paid once it is worth a batch.
    const batch = even * Math.min(MAX_BATCH_DAYS, Math.max(MIN_BATCH_DAYS, day / 40))
    if (want - counted < batch) continue
    const amount = want - counted + batch / 4
    const parts = Math.ceil(amount / (MAX_ORDER_DAYS * even))
    for (let part = 0; part < parts; part++)
      place(day, part, amount / parts, { mayBeLate: part === 0, counts: true })
  }
  // The year's last late payer is paid in the January after, outside the year's count: its overdue spell covers
  // the year's last days.
  if (orders.length > 0) {
    lastLateDay = Math.min(lastLateDay, days - LATE_EVERY_DAYS)
    place(days + LATE_EVERY_DAYS, 0, even * MAX_BATCH_DAYS, { mayBeLate: true, counts: false })
  }
  return orders
}

/** The synthetic cooperative staff who ship the units' orders: one per selling cooperative. */
export function shipperOf(orgId: string, index: number) {
  const nn = String(index + 1).padStart(2, '0')
  return { email: `shipper${nn}@coops.demo.example`, displayName: `演示发货员${nn}`, orgId }
}

export type UnitYearSummary = {
  units: number
  planned: number
  submitted: number
  approved: number
  accepted: number
  shortfalls: number
  confirmed: number
  countedFen: bigint
}

type UnitEvent = {
  at: Date
  /** Within one instant: earlier steps first. */
  rank: number
  run: () => Promise<void>
}

/**
 * The units, their people and plans (written at once), and the year's events for the caller to run in time order
 * with the rest of the history. Events after `now` are not returned.
 */
export async function prepareUnitYear(
  tx: Db,
  input: {
    now: Date
    year: number
    goalFen: bigint
    pairs: ReadonlyArray<{ helperCode: string; helpedCode: string }>
    /** The active catalogue (activeCatalogue), read once for the whole history. */
    catalogue: readonly UnitCatalogueProduct[]
    passwordHash: string
    registeredAt: Date
    financeId: string
    method: PaymentMethod
  },
): Promise<{ events: UnitEvent[]; summary: UnitYearSummary }> {
  const { now, year } = input
  const units = demoUnits(input.pairs)
  const regions = await loadReferenceData(tx)
  // The units buy Dingxi products only (and only Dingxi cooperatives get a shipper).
  const catalogue = input.catalogue.filter((p) => p.originCode.startsWith('6211'))
  const plan = planUnitYear({ year, goalFen: input.goalFen, units, catalogue, pairs: input.pairs })
  const summary: UnitYearSummary = {
    units: units.length,
    planned: 0,
    submitted: 0,
    approved: 0,
    accepted: 0,
    shortfalls: 0,
    confirmed: 0,
    countedFen: 0n,
  }

  // Organisations, buyers, approvers and the cooperatives' shippers.
  await tx
    .insert(organizations)
    .values(
      units.map((u) => ({
        id: seedUuid(u.key),
        kind: 'gov_unit' as const,
        name: u.name,
        uscc: syntheticUscc(u.key, '11', u.regionCode),
        regionCode: u.regionCode,
        verifiedAt: input.registeredAt,
        createdAt: input.registeredAt,
        isDemo: true,
      })),
    )
    .onConflictDoNothing()
  const sellerIds = [...new Set(catalogue.map((p) => p.orgId))].sort()
  const shippers = sellerIds.map(shipperOf)
  const people = [
    ...units.flatMap((u) => [u.buyer, u.approver]),
    ...shippers.map((s) => ({ email: s.email, displayName: s.displayName })),
  ]
  await tx
    .insert(users)
    .values(
      people.map((p) => ({
        id: seedUuid(`user:${p.email}`),
        email: p.email,
        displayName: p.displayName,
        passwordHash: input.passwordHash,
        passwordChangedAt: input.registeredAt,
        createdAt: input.registeredAt,
        isDemo: true,
      })),
    )
    .onConflictDoNothing()
  await tx
    .insert(memberships)
    .values([
      ...units.flatMap((u) => [
        {
          userId: seedUuid(`user:${u.buyer.email}`),
          orgId: seedUuid(u.key),
          role: 'unit_buyer' as const,
          spendingLimitFen: BUYER_LIMIT_FEN,
        },
        {
          userId: seedUuid(`user:${u.approver.email}`),
          orgId: seedUuid(u.key),
          role: 'unit_approver' as const,
        },
      ]),
      ...shippers.map((s) => ({
        userId: seedUuid(`user:${s.email}`),
        orgId: s.orgId,
        role: 'coop_staff' as const,
      })),
    ])
    .onConflictDoNothing()

  // Each unit's plan: its canteen or union budget, and the reserved share for products of 脱贫地区. Set so that
  // the year's planned purchases meet between 75% and 130% of the reserved amount — some units lag.
  const yearly = new Map<string, bigint>()
  for (const o of plan) yearly.set(o.unit.key, (yearly.get(o.unit.key) ?? 0n) + o.countedFen)
  const planRandom = seededRandom(`unit-plans:${year}`)
  await tx
    .insert(procurementPlans)
    .values(
      units.map((u) => {
        const reach = 0.75 + planRandom() * 0.55
        const reserved = Number(yearly.get(u.key) ?? 0n) / reach
        // Reserved = base × 10%; the base rounded to ¥10,000.
        const baseFen = BigInt(Math.max(1, Math.round((reserved * 10) / 1_000_000))) * 1_000_000n
        return { orgId: seedUuid(u.key), year, baseFen, reservedShareBp: 1000, updatedAt: input.registeredAt }
      }),
    )
    .onConflictDoNothing()

  const shipperOfOrg = new Map(shippers.map((s) => [s.orgId, seedUuid(`user:${s.email}`)]))
  const events: UnitEvent[] = []
  const due = (moment: Date) => moment.getTime() <= now.getTime()
  let tracking = 0

  for (const order of plan) {
    if (!due(order.at.submit)) continue
    summary.planned++
    const orgId = seedUuid(order.unit.key)
    const buyer = { orgId, userId: seedUuid(`user:${order.unit.buyer.email}`), role: 'unit_buyer' as const }
    const approver = {
      orgId,
      userId: seedUuid(`user:${order.unit.approver.email}`),
      role: 'unit_approver' as const,
    }
    const state: {
      requisitionId?: string
      orderId?: string
      sellerOrders?: Array<{ id: string; orgId: string }>
    } = {}

    // The cooperatives stock up for the order they agreed to, before the unit submits and again before approval
    // (another unit's order may have taken the goods meanwhile).
    const stockUp = async (moment: Date) => {
      for (const line of order.lines) {
        const [row] = await tx
          .select({ stock: products.stock })
          .from(products)
          .where(eq(products.id, line.productId))
        const short = line.qty + STOCK_RESERVE - (row?.stock ?? 0)
        if (short <= 0) continue
        const result = await adjustStock(
          tx,
          {
            orgId: line.orgId,
            productId: line.productId,
            actorUserId: shipperOfOrg.get(line.orgId)!,
            kind: 'restock',
            quantity: String(Math.ceil(short / 100) * 100),
            note: `单位订单备货 ${order.poNumber}`,
          },
          fixedClock(new Date(moment.getTime() - 30 * MINUTE)),
        )
        if (!result.ok) throw new Error(`demo units: restock refused (${result.error})`)
      }
    }

    events.push({
      at: order.at.submit,
      rank: 0,
      run: async () => {
        await stockUp(order.at.submit)
        const result = await submitRequisition(
          tx,
          {
            actor: buyer,
            regions,
            rows: order.lines.map((l, i) => ({ line: i + 1, sku: l.sku, qty: String(l.qty) })),
            form: {
              intent: 'submit',
              lines: undefined,
              recipient: order.unit.purpose === 'canteen' ? '食堂管理员（演示）' : '工会干事（演示）',
              phone: `1390000${String(tracking++ % 10_000).padStart(4, '0')}`,
              address: `${order.unit.name.replace('（演示）', '')} 演示路 ${order.unit.key.slice(-1)} 号`,
              poNumber: order.poNumber,
              notes:
                order.unit.purpose === 'canteen' ? '机关食堂食材采购（演示）' : '工会节日慰问品采购（演示）',
            },
          },
          fixedClock(order.at.submit),
          input.method,
        )
        if (!result.ok)
          throw new Error(
            `demo units: requisition ${order.poNumber} refused (${result.reason}: ${JSON.stringify(
              'preview' in result ? result.preview?.lines.filter((l) => l.problem) : result,
              (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
            )})`,
          )
        if (result.status !== 'pending_approval')
          throw new Error('demo units: requisition ordered without approval')
        state.requisitionId = result.requisitionId
        summary.submitted++
      },
    })
    if (!due(order.at.approve)) continue
    events.push({
      at: order.at.approve,
      rank: 0,
      run: async () => {
        await stockUp(order.at.approve)
        const result = await decideRequisition(
          tx,
          {
            actor: approver,
            requisitionId: state.requisitionId!,
            form: { intent: 'approve', comment: '同意（演示）' },
          },
          fixedClock(order.at.approve),
          input.method,
        )
        if (!result.ok || !result.orderId)
          throw new Error(`demo units: approval failed (${JSON.stringify(result)})`)
        state.orderId = result.orderId
        state.sellerOrders = (
          await tx
            .select({ id: sellerOrders.id, orgId: sellerOrders.sellerOrgId })
            .from(sellerOrders)
            .where(eq(sellerOrders.orderId, result.orderId))
            .orderBy(asc(sellerOrders.id))
        ).map((s) => ({ id: s.id, orgId: s.orgId }))
        summary.approved++
      },
    })
    const fulfil = (moment: Date, step: 'ship' | 'deliver') => ({
      at: moment,
      rank: 0,
      run: async () => {
        for (const seller of state.sellerOrders!) {
          const actor = {
            orgId: seller.orgId,
            actorUserId: shipperOfOrg.get(seller.orgId)!,
            sellerOrderId: seller.id,
          }
          const result =
            step === 'ship'
              ? await markShipped(
                  tx,
                  {
                    ...actor,
                    form: { carrier: '演示物流', trackingNumber: `DXU${year}${seller.id.slice(0, 8)}` },
                  },
                  fixedClock(moment),
                )
              : await markDelivered(tx, actor, fixedClock(moment))
          if (!result.ok) throw new Error(`demo units: ${step} failed (${result.error})`)
        }
      },
    })
    if (!due(order.at.ship)) continue
    events.push(fulfil(order.at.ship, 'ship'))
    if (!due(order.at.deliver)) continue
    events.push(fulfil(order.at.deliver, 'deliver'))
    if (!due(order.at.accept)) continue
    events.push({
      at: order.at.accept,
      rank: 0,
      run: async () => {
        for (const seller of state.sellerOrders!) {
          const lines = await tx
            .select({ id: orderLines.id, qty: orderLines.qty, productId: orderLines.productId })
            .from(orderLines)
            .where(eq(orderLines.sellerOrderId, seller.id))
            .orderBy(asc(orderLines.id))
          const short = (productId: string) =>
            order.shortfall && order.shortfall.productId === productId ? order.shortfall.rejectedQty : 0
          const result = await acceptSellerOrder(
            tx,
            {
              actor: buyer,
              orderId: state.orderId!,
              form: {
                sellerOrderId: seller.id,
                notes: lines.some((l) => short(l.productId) > 0)
                  ? '部分包装破损，已拍照留存（演示）'
                  : undefined,
                lines: lines.map((l) => ({ orderLineId: l.id, acceptedQty: l.qty - short(l.productId) })),
              },
            },
            fixedClock(order.at.accept),
          )
          if (!result.ok) throw new Error(`demo units: acceptance failed (${result.error})`)
        }
        summary.accepted++
        if (order.shortfall) summary.shortfalls++
      },
    })
    if (order.shortfall && due(order.at.answer)) {
      const shortfall = order.shortfall
      events.push({
        at: order.at.answer,
        rank: 1,
        run: async () => {
          const [open] = await tx
            .select({ id: disputes.id, sellerOrgId: disputes.sellerOrgId })
            .from(disputes)
            .where(
              and(
                inArray(
                  disputes.sellerOrderId,
                  state.sellerOrders!.map((s) => s.id),
                ),
                eq(disputes.status, 'open'),
              ),
            )
          if (!open) throw new Error('demo units: the shortfall opened no dispute')
          const result = await answerDispute(
            tx,
            {
              orgId: open.sellerOrgId,
              actorUserId: shipperOfOrg.get(open.sellerOrgId)!,
              form: {
                intent: shortfall.answer,
                disputeId: open.id,
                note:
                  shortfall.answer === 'return'
                    ? '同意退回，已安排取回（演示）'
                    : '发货时已当面清点，包装完好（演示）',
              },
            },
            fixedClock(order.at.answer),
          )
          if (!result.ok) throw new Error(`demo units: dispute answer failed (${result.error})`)
        },
      })
    }
    if (!due(order.at.confirm)) continue
    events.push({
      at: order.at.confirm,
      rank: 1,
      run: async () => {
        const [payment] = await tx
          .select({ id: payments.id, amountFen: payments.amountFen })
          .from(payments)
          .where(eq(payments.orderId, state.orderId!))
        if (!payment || payment.amountFen !== order.countedFen)
          throw new Error(
            `demo units: payable ${payment?.amountFen} differs from the plan's ${order.countedFen}`,
          )
        const result = await confirmBankTransfer(
          tx,
          { paymentId: payment.id, receivedFen: payment.amountFen, financeUserId: input.financeId },
          fixedClock(order.at.confirm),
        )
        if (!result.ok) throw new Error(`demo units: confirmation failed (${result.reason})`)
        summary.confirmed++
        summary.countedFen += payment.amountFen
      },
    })
  }
  return { events, summary }
}

/** The active products with their volume tiers, in SKU order: what the history's consumers and units buy from. */
export async function activeCatalogue(tx: Db): Promise<UnitCatalogueProduct[]> {
  const rows = await tx
    .select({
      id: products.id,
      sku: products.sku,
      orgId: products.orgId,
      originCode: products.originCode,
      priceFen: products.priceFen,
      minOrderQty: products.minOrderQty,
    })
    .from(products)
    .where(eq(products.status, 'active'))
    .orderBy(asc(products.sku))
  const tiers = await tx
    .select({
      productId: priceTiers.productId,
      minQty: priceTiers.minQty,
      unitPriceFen: priceTiers.unitPriceFen,
    })
    .from(priceTiers)
    .orderBy(asc(priceTiers.minQty))
  return rows.map((r) => ({
    ...r,
    tiers: tiers
      .filter((t) => t.productId === r.id)
      .map((t) => ({ minQty: t.minQty, unitPriceFen: t.unitPriceFen })),
  }))
}
